import type { Tx } from "../db";
import { jsonRows } from "../db/json-rows";
import type { AccountRef } from "./accounts";

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

/**
 * Not a DomainError: an empty or unbalanced posting is a bug in the caller, and
 * insufficient_funds is the database's last guard, which each flow checks first
 * and words as its own refusal (BillingError, CreditAdjustmentError). Reaching a
 * screen as it is would mean a check is missing: the error page is right.
 */
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
 * The rows ledger_post_many takes: each posting checked to be balanced per
 * currency (double entry; the database checks it again at commit), zero
 * entries left out, and its entries numbered debits first, so a user's
 * balance drops only after what it receives is there. Throws LedgerError.
 */
export function postingRows(postings: Posting[]): object[] {
  let n = 0;
  return postings.map((p) => {
    const entries = p.entries.filter((e) => e.amountMinor !== 0n);
    if (entries.length === 0) throw new LedgerError("empty");
    const sums = new Map<string, bigint>();
    for (const e of entries) sums.set(e.account.currency, (sums.get(e.account.currency) ?? 0n) + e.amountMinor);
    if ([...sums.values()].some((s) => s !== 0n)) throw new LedgerError("unbalanced");
    return {
      key: p.idempotencyKey,
      kind: p.kind,
      user_id: p.userId ?? null,
      invoice_id: p.invoiceId ?? null,
      memo: p.memo ?? null,
      at: p.at,
      entries: [...entries]
        .sort((a, b) => (a.amountMinor > b.amountMinor ? -1 : 1))
        .map((e) => ({
          kind: e.account.kind,
          user_id: "userId" in e.account ? e.account.userId : null,
          currency: e.account.currency,
          amount: e.amountMinor,
          i: n++,
        })),
    };
  });
}

/**
 * Posts balanced transactions in one statement however many there are
 * (ledger_post_many, which opens the accounts used for the first time).
 * Returns the keys actually posted: a key posted before is skipped, so a
 * retried operation posts once. The database refuses a user balance below
 * zero; that surfaces as `insufficient_funds`.
 */
export async function postMany(tx: Tx, postings: Posting[]): Promise<Set<string>> {
  const rows = postingRows(postings);
  if (rows.length === 0) return new Set();
  try {
    const posted = await tx.$queryRaw<{ key: string }[]>`SELECT "ledger_post_many"(${jsonRows(rows)}::jsonb) AS "key"`;
    return new Set(posted.map((r) => r.key));
  } catch (err) {
    if (isCheckViolation(err)) throw new LedgerError("insufficient_funds");
    throw err;
  }
}

function isCheckViolation(err: unknown): boolean {
  const text = String((err as { message?: string })?.message ?? err);
  return text.includes("ledger_accounts_user_balance_non_negative") || text.includes("23514");
}
