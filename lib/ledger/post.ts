import type { Tx } from "../db";
import { accountId, type AccountRef } from "./accounts";

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

/**
 * Posts one balanced transaction (double entry: the amounts sum to zero per
 * currency; the database checks it again at commit). Returns false when a
 * posting with the same idempotency key exists: the operation already happened.
 * The database refuses a user balance below zero; that surfaces as
 * `insufficient_funds`.
 */
export async function post(tx: Tx, p: Posting): Promise<boolean> {
  const entries = p.entries.filter((e) => e.amountMinor !== 0n);
  if (entries.length === 0) throw new LedgerError("empty");
  const sums = new Map<string, bigint>();
  for (const e of entries) sums.set(e.account.currency, (sums.get(e.account.currency) ?? 0n) + e.amountMinor);
  if ([...sums.values()].some((s) => s !== 0n)) throw new LedgerError("unbalanced");

  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "ledger_transactions" ("id", "idempotency_key", "kind", "user_id", "invoice_id", "memo", "created_at")
    VALUES (gen_random_uuid(), ${p.idempotencyKey}, ${p.kind}, ${p.userId ?? null}::uuid, ${p.invoiceId ?? null}::uuid, ${p.memo ?? null}, ${p.at})
    ON CONFLICT ("idempotency_key") DO NOTHING RETURNING "id"`;
  if (inserted.length === 0) return false;
  const transactionId = inserted[0].id;
  // Debits before credits: user balances drop only after the money is there.
  const ordered = [...entries].sort((a, b) => (a.amountMinor > b.amountMinor ? -1 : 1));
  for (const e of ordered) {
    const account = await accountId(tx, e.account, p.at);
    try {
      await tx.ledgerEntry.create({ data: { transactionId, accountId: account, amountMinor: e.amountMinor } });
    } catch (err) {
      if (isCheckViolation(err)) throw new LedgerError("insufficient_funds");
      throw err;
    }
  }
  return true;
}

function isCheckViolation(err: unknown): boolean {
  const text = String((err as { message?: string })?.message ?? err);
  return text.includes("ledger_accounts_user_balance_non_negative") || text.includes("23514");
}
