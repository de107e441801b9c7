export { db, createDb, type Db } from "./client";
export { Prisma } from "./generated/client";
export type { User, AuditLog } from "./generated/client";
export { Role, Region, UserStatus } from "./generated/enums";
