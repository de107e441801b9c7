import type { Db } from "../db";

/** The currency the subscriber's site bills in (the region's), in which a low-balance threshold is read. */
export async function currencyOfUser(database: Db, userId: string): Promise<string> {
  const rows = await database.$queryRaw<{ currency: string }[]>`
    SELECT r."currency" FROM "users" u JOIN "billing_regions" r ON r."region" = u."region" WHERE u."id" = ${userId}::uuid`;
  return rows[0]?.currency ?? "USD";
}
