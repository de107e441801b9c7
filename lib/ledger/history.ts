import type { Db } from "../db";

export type Movement = {
  at: Date;
  kind: string;
  account: "user_credits" | "user_cash" | "user_packs";
  currency: string;
  amountMinor: bigint;
  balanceAfterMinor: bigint;
  invoiceId: string | null;
  memo: string | null;
};

/**
 * A user's wallet movements, newest first, each with the balance it left.
 * The running balance is a window sum over the account's entries: derived from
 * the ledger, like the balance itself (WALLET-3).
 */
export async function movementsOf(database: Db, userId: string, take = 200): Promise<Movement[]> {
  const rows = await database.$queryRaw<
    {
      at: Date;
      kind: string;
      account: Movement["account"];
      currency: string;
      amount: bigint;
      after: bigint;
      invoice_id: string | null;
      memo: string | null;
    }[]
  >`SELECT * FROM (
      SELECT t."created_at" AS "at", t."kind", a."kind"::text AS "account", a."currency", e."amount_minor" AS "amount",
             sum(e."amount_minor") OVER (PARTITION BY e."account_id" ORDER BY e."id")::bigint AS "after",
             t."invoice_id"::text AS "invoice_id", t."memo", e."id" AS "entry_id"
      FROM "ledger_entries" e
      JOIN "ledger_accounts" a ON a."id" = e."account_id"
      JOIN "ledger_transactions" t ON t."id" = e."transaction_id"
      WHERE a."user_id" = ${userId}::uuid
    ) m ORDER BY m."entry_id" DESC LIMIT ${take}`;
  return rows.map((r) => ({
    at: r.at,
    kind: r.kind,
    account: r.account,
    currency: r.currency,
    amountMinor: BigInt(r.amount),
    balanceAfterMinor: BigInt(r.after),
    invoiceId: r.invoice_id,
    memo: r.memo,
  }));
}

/** Balances per currency, straight from the accounts (kept from the entries by the database). */
export async function balancesOf(database: Db, userId: string) {
  const rows = await database.ledgerAccount.findMany({ where: { userId }, orderBy: { currency: "asc" } });
  const byCurrency = new Map<
    string,
    { currency: string; creditsMinor: bigint; cashMinor: bigint; packsMinor: bigint }
  >();
  for (const r of rows) {
    const b = byCurrency.get(r.currency) ?? { currency: r.currency, creditsMinor: 0n, cashMinor: 0n, packsMinor: 0n };
    if (r.kind === "user_credits") b.creditsMinor = r.balanceMinor;
    else if (r.kind === "user_packs") b.packsMinor = r.balanceMinor;
    else b.cashMinor = r.balanceMinor;
    byCurrency.set(r.currency, b);
  }
  return [...byCurrency.values()];
}
