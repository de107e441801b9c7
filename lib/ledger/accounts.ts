import type { Tx } from "../db";
import { jsonRows } from "../db/json-rows";

export type UserAccountKind = "user_credits" | "user_cash" | "user_packs";
export type SystemAccountKind = "revenue" | "payments_clearing" | "promotions" | "refunds";

/** Where an entry goes: a user's wallet account or a system account, per currency. */
export type AccountRef =
  | { kind: UserAccountKind; userId: string; currency: string }
  | { kind: SystemAccountKind; currency: string };

export const userCash = (userId: string, currency: string): AccountRef => ({ kind: "user_cash", userId, currency });
export const userCredits = (userId: string, currency: string): AccountRef => ({ kind: "user_credits", userId, currency });
/** What is left in the user's resource packs, all packs together (BILL-3; per pack in resource_packs). */
export const userPacks = (userId: string, currency: string): AccountRef => ({ kind: "user_packs", userId, currency });
export const system = (kind: SystemAccountKind, currency: string): AccountRef => ({ kind, currency });

export const accountKey = (r: AccountRef) => `${r.kind}:${"userId" in r ? r.userId : ""}:${r.currency}`;

/**
 * The ids of the given accounts, opening those used for the first time.
 * INSERT … ON CONFLICT DO NOTHING makes two first postings racing on a new
 * account open it once. Three statements whatever the number of accounts.
 */
export async function accountIds(tx: Tx, refs: AccountRef[], now: Date): Promise<Map<string, string>> {
  const unique = [...new Map(refs.map((r) => [accountKey(r), r])).values()];
  const users = unique.filter((r) => "userId" in r).map((r) => ({ kind: r.kind, user_id: (r as { userId: string }).userId, currency: r.currency }));
  const systems = unique.filter((r) => !("userId" in r)).map((r) => ({ kind: r.kind, currency: r.currency }));
  if (users.length)
    await tx.$executeRaw`INSERT INTO "ledger_accounts" ("id", "kind", "user_id", "currency", "created_at")
      SELECT gen_random_uuid(), x.kind::"LedgerAccountKind", x.user_id, x.currency, ${now}
      FROM jsonb_to_recordset(${jsonRows(users)}::jsonb) AS x(kind text, user_id uuid, currency text)
      ORDER BY x.user_id, x.kind
      ON CONFLICT ("kind", "user_id", "currency") DO NOTHING`;
  if (systems.length)
    await tx.$executeRaw`INSERT INTO "ledger_accounts" ("id", "kind", "currency", "created_at")
      SELECT gen_random_uuid(), x.kind::"LedgerAccountKind", x.currency, ${now}
      FROM jsonb_to_recordset(${jsonRows(systems)}::jsonb) AS x(kind text, currency text)
      ON CONFLICT ("kind", "currency") WHERE "user_id" IS NULL DO NOTHING`;
  // Two plain equality joins (no casts on the table side), so both use the unique indexes.
  const rows = await tx.$queryRaw<{ id: string; kind: string; user_id: string | null; currency: string }[]>`
    SELECT a."id", a."kind"::text AS "kind", a."user_id"::text AS "user_id", a."currency"
    FROM jsonb_to_recordset(${jsonRows(users)}::jsonb) AS x(kind text, user_id uuid, currency text)
    JOIN "ledger_accounts" a ON a."kind" = x.kind::"LedgerAccountKind" AND a."user_id" = x.user_id AND a."currency" = x.currency
    UNION ALL
    SELECT a."id", a."kind"::text, NULL, a."currency"
    FROM jsonb_to_recordset(${jsonRows(systems)}::jsonb) AS x(kind text, currency text)
    JOIN "ledger_accounts" a ON a."kind" = x.kind::"LedgerAccountKind" AND a."user_id" IS NULL AND a."currency" = x.currency`;
  return new Map(rows.map((r) => [`${r.kind}:${r.user_id ?? ""}:${r.currency}`, r.id]));
}
