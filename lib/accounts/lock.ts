import { z } from "zod";
import type { Tx } from "../db";

const lockedRow = z.object({
  id: z.string(),
  region: z.enum(["intl", "cn"]),
  status: z.enum(["active", "restricted", "banned"]),
});

export type LockedUser = z.infer<typeof lockedRow>;

/**
 * Locks the user's row for the rest of the transaction: the one lock every
 * per-user step queues on (a purchase, a key created against the limit, a
 * violation, an invitation), taken first, before any insert whose foreign key
 * would take a shared lock on the row, so two steps for one user queue here
 * instead of deadlocking on the upgrade. The row comes back typed (null when
 * there is no such user); what a missing or banned user means is the caller's.
 */
export async function lockUserRow(tx: Tx, userId: string): Promise<LockedUser | null> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT "id"::text AS "id", "region"::text AS "region", "status"::text AS "status"
    FROM "users" WHERE "id" = ${userId}::uuid FOR UPDATE`;
  return rows.length === 0 ? null : lockedRow.parse(rows[0]);
}
