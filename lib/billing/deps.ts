import { lockUserRow } from "../accounts/lock";
import type { Db, Tx } from "../db";
import type { PaymentPort } from "../payments";
import { BillingError } from "./errors";

/** What every billing flow runs on: the database, the moment it acts at, and the payment port. */
export type BillingDeps = { db: Db; now: Date; port: PaymentPort };

/**
 * Serialises one user's billing operations: every flow locks the user's row
 * first, so two simultaneous upgrades (or a renewal and an upgrade) run one
 * after the other and the second sees the first's result. A banned account
 * is refused, except where `allowBanned` lets it stop paying (cancel, SUB-7).
 */
export async function lockUser(tx: Tx, userId: string, opts: { allowBanned?: boolean } = {}) {
  const user = await lockUserRow(tx, userId);
  if (!user) throw new Error(`no user ${userId}`);
  if (user.status === "banned" && !opts.allowBanned) throw new BillingError("account_banned");
  return user;
}

/** The user's live (active or past-due) subscription, if any (SUB-9: at most one). */
export function liveSubscription(tx: Tx | Db, userId: string) {
  return tx.subscription.findFirst({ where: { userId, status: { not: "expired" } } });
}

/** Long transactions wait on row locks rather than fail; give them room. */
export const TX_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;
