import type { Tx } from "../db";
import { jsonRows } from "../db/json-rows";
import { accountIds, accountKey, type AccountRef } from "./accounts";

export type Posting = {
  /** Derived from domain ids, so a retried operation posts once. */
  idempotencyKey: string;
  kind: string;
  userId?: string | null;
  invoiceId?: string | null;
  memo?: string | null;
  entries: { account: AccountRef; amountMinor: bigint }[];
  at: Date;
};

export class LedgerError extends Error {
  constructor(readonly code: "unbalanced" | "insufficient_funds" | "empty") {
    super(code);
  }
}

/** Posts one balanced transaction; false when its idempotency key was posted before. */
export async function post(tx: Tx, p: Posting): Promise<boolean> {
  return (await postMany(tx, [p])).has(p.idempotencyKey);
}

/**
 * Posts balanced transactions (double entry: each one's amounts sum to zero
 * per currency; the database checks it again at commit), in a fixed number of
 * statements however many there are. Returns the keys actually posted: a key
 * posted before is skipped, so a retried operation posts once. The database
 * refuses a user balance below zero; that surfaces as `insufficient_funds`.
 */
export async function postMany(tx: Tx, postings: Posting[]): Promise<Set<string>> {
  const clean = postings.map((p) => ({ ...p, entries: p.entries.filter((e) => e.amountMinor !== 0n) }));
  for (const p of clean) {
    if (p.entries.length === 0) throw new LedgerError("empty");
    const sums = new Map<string, bigint>();
    for (const e of p.entries) sums.set(e.account.currency, (sums.get(e.account.currency) ?? 0n) + e.amountMinor);
    if ([...sums.values()].some((s) => s !== 0n)) throw new LedgerError("unbalanced");
  }
  if (clean.length === 0) return new Set();

  const inserted = await tx.$queryRaw<{ id: string; idempotency_key: string }[]>`
    INSERT INTO "ledger_transactions" ("id", "idempotency_key", "kind", "user_id", "invoice_id", "memo", "created_at")
    SELECT gen_random_uuid(), x.key, x.kind, x.user_id, x.invoice_id, x.memo, x.at
    FROM jsonb_to_recordset(${jsonRows(clean.map((p) => ({ key: p.idempotencyKey, kind: p.kind, user_id: p.userId ?? null, invoice_id: p.invoiceId ?? null, memo: p.memo ?? null, at: p.at })))}::jsonb)
      AS x(key text, kind text, user_id uuid, invoice_id uuid, memo text, at timestamptz)
    ON CONFLICT ("idempotency_key") DO NOTHING RETURNING "id", "idempotency_key"`;
  if (inserted.length === 0) return new Set();
  const txIds = new Map(inserted.map((r) => [r.idempotency_key, r.id]));
  const fresh = clean.filter((p) => txIds.has(p.idempotencyKey));
  const ids = await accountIds(tx, fresh.flatMap((p) => p.entries.map((e) => e.account)), fresh[0].at);
  // Debits before credits within each posting: a user's balance drops only after what it receives is there.
  const entries = fresh.flatMap((p) =>
    [...p.entries]
      .sort((a, b) => (a.amountMinor > b.amountMinor ? -1 : 1))
      .map((e) => ({ transaction_id: txIds.get(p.idempotencyKey), account_id: ids.get(accountKey(e.account)), amount: e.amountMinor })),
  ).map((e, i) => ({ ...e, i }));
  try {
    await tx.$executeRaw`INSERT INTO "ledger_entries" ("transaction_id", "account_id", "amount_minor")
      SELECT x.transaction_id, x.account_id, x.amount
      FROM jsonb_to_recordset(${jsonRows(entries)}::jsonb) AS x(transaction_id uuid, account_id uuid, amount bigint, i int)
      ORDER BY x.i`;
  } catch (err) {
    if (isCheckViolation(err)) throw new LedgerError("insufficient_funds");
    throw err;
  }
  return new Set(txIds.keys());
}

function isCheckViolation(err: unknown): boolean {
  const text = String((err as { message?: string })?.message ?? err);
  return text.includes("ledger_accounts_user_balance_non_negative") || text.includes("23514");
}
