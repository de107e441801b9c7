import type { Tx } from "../db";

/**
 * The per-user pay-as-you-go lock (BILL-3): a transaction advisory lock on
 * this key serialises a user's holds (api_reserve, which builds the same key
 * in SQL), settlements, pack purchases and pack refunds in one currency, so
 * none of them counts money another is spending.
 */
export const paygLockKey = (userId: string, currency: string) => `api_balance:${userId}:${currency}`;

/** The distinct lock keys of these balances. */
export const paygLockKeys = (balances: { userId: string; currency: string }[]) => [
  ...new Set(balances.map((b) => paygLockKey(b.userId, b.currency))),
];

/** Takes the locks of these balances, in key order (the database's, as api_settle_state) so two batches never deadlock. */
export async function lockPaygBalances(tx: Tx, balances: { userId: string; currency: string }[]) {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(k, 0))::text FROM (SELECT unnest(${paygLockKeys(balances)}::text[]) AS k ORDER BY 1) s`;
}
