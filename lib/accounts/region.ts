import type { Db } from "../db";

/** A customer's id and region, or null when no such account: an admin form names the customer by id. */
export async function accountRegion(database: Db, userId: string) {
  return database.user.findUnique({ where: { id: userId }, select: { id: true, region: true } });
}
