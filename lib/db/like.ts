/**
 * Text an admin typed, for Prisma's contains/startsWith: those become LIKE
 * patterns and Prisma does not escape them, so `%` and `_` would match
 * anything. Postgres's default LIKE escape is the backslash.
 */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, "\\$&");
