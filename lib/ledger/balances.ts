import { Prisma, type Tx } from "../db";

export type Wallet = { creditsMinor: bigint; cashMinor: bigint };

/**
 * A user's credits and cash in one currency. With `lock`, the rows stay locked
 * to the end of the transaction, so a plan made from these balances holds
 * when it is posted.
 */
export async function walletOf(
  tx: Tx,
  userId: string,
  currency: string,
  opts: { lock?: boolean } = {},
): Promise<Wallet> {
  const rows = await tx.$queryRaw<{ kind: string; balance_minor: bigint }[]>`
    SELECT "kind"::text, "balance_minor" FROM "ledger_accounts"
    WHERE "user_id" = ${userId}::uuid AND "currency" = ${currency} ${opts.lock ? Prisma.sql`FOR UPDATE` : Prisma.empty}`;
  const of = (k: string) => BigInt(rows.find((r) => r.kind === k)?.balance_minor ?? 0n);
  return { creditsMinor: of("user_credits"), cashMinor: of("user_cash") };
}
