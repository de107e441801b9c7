export { db, createDb, type Db } from "./client";
export { Prisma } from "./generated/client";
export type { User, AuditLog } from "./generated/client";
export { Role, Region, UserStatus } from "./generated/enums";
export type Tx = import("./generated/client").Prisma.TransactionClient;
export {
  Tier,
  BillingCycle,
  SubscriptionStatus,
  InvoiceKind,
  InvoiceStatus,
  InvoiceLineKind,
  LedgerAccountKind,
} from "./generated/enums";
