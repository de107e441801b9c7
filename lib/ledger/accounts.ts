import type { Tx } from "../db";

export type UserAccountKind = "user_credits" | "user_cash";
export type SystemAccountKind = "revenue" | "payments_clearing" | "promotions" | "refunds";

/** Where an entry goes: a user's wallet account or a system account, per currency. */
export type AccountRef =
  | { kind: UserAccountKind; userId: string; currency: string }
  | { kind: SystemAccountKind; currency: string };

export const userCash = (userId: string, currency: string): AccountRef => ({ kind: "user_cash", userId, currency });
export const userCredits = (userId: string, currency: string): AccountRef => ({ kind: "user_credits", userId, currency });
export const system = (kind: SystemAccountKind, currency: string): AccountRef => ({ kind, currency });

/**
 * The account's id, opening it on first use. INSERT … ON CONFLICT DO NOTHING
 * makes two first postings racing on a new account open it once.
 */
export async function accountId(tx: Tx, ref: AccountRef, now: Date): Promise<string> {
  const userId = "userId" in ref ? ref.userId : null;
  if (userId) {
    await tx.$executeRaw`INSERT INTO "ledger_accounts" ("id", "kind", "user_id", "currency", "created_at")
      VALUES (gen_random_uuid(), ${ref.kind}::"LedgerAccountKind", ${userId}::uuid, ${ref.currency}, ${now})
      ON CONFLICT ("kind", "user_id", "currency") DO NOTHING`;
  } else {
    await tx.$executeRaw`INSERT INTO "ledger_accounts" ("id", "kind", "currency", "created_at")
      VALUES (gen_random_uuid(), ${ref.kind}::"LedgerAccountKind", ${ref.currency}, ${now})
      ON CONFLICT ("kind", "currency") WHERE "user_id" IS NULL DO NOTHING`;
  }
  const row = await tx.ledgerAccount.findFirstOrThrow({
    where: { kind: ref.kind, userId, currency: ref.currency },
    select: { id: true },
  });
  return row.id;
}
