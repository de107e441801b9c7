import type { Tx } from "../db";
import { jsonRows } from "../db/json-rows";
import { lockPaygBalances } from "./balance-lock";
import { postMany, system, userCash, userCredits, userPacks, type Posting } from "../ledger";
import type { CallTokens } from "./fee";
import { splitFee, type PackBalance } from "./split";

export type SettleItem = {
  userId: string;
  requestId: string;
  keyId: string;
  model: string;
  currency: string;
  tokens: CallTokens;
  feeMinor: bigint;
  at: Date;
};

export type Settlement =
  | { status: "settled"; chargedMinor: bigint; uncollectedMinor: bigint; parts: Part[] }
  | { status: "duplicate" };

export type Part = { source: "pack" | "cash" | "bonus"; ref: string; amount: bigint };

type Wallet = { cash: bigint; bonus: bigint; held: bigint; packs: PackBalance[] };

const walletKey = (userId: string, currency: string) => `${userId}:${currency}`;

/**
 * BILL-3: settles finished pay-as-you-go calls in one transaction: each
 * call's real fee is taken from the user's packs, then cash and bonus
 * (splitFee), its hold is removed, and it is recorded with who paid. Under
 * the same per-user locks api_reserve takes, in a fixed order, so a hold and
 * its settlement never interleave with another call's.
 *
 * A call may cost more than its hold (the upstream counted more prompt tokens
 * than the estimate). It then takes the rest from money nobody else holds;
 * what even that cannot cover (the balance was spent elsewhere meanwhile) is
 * recorded as uncollected, never taken below zero. A request id settled
 * before is answered `duplicate` and changes nothing.
 */
export async function settleCalls(tx: Tx, items: SettleItem[]): Promise<Settlement[]> {
  await lockPaygBalances(tx, items);
  const wallets = [...new Set(items.map((i) => walletKey(i.userId, i.currency)))];
  const users = [...new Set(items.map((i) => i.userId))];
  const earliest = new Date(Math.min(...items.map((i) => i.at.getTime())));
  const [settled, balances, packs, holds] = await Promise.all([
    tx.$queryRaw<{ k: string }[]>`SELECT "user_id"::text || ':' || "request_id" AS "k" FROM "api_calls"
      WHERE ("user_id", "request_id") IN (SELECT x.u, x.r FROM jsonb_to_recordset(${jsonRows(items.map((i) => ({ u: i.userId, r: i.requestId })))}::jsonb) AS x(u uuid, r text))`,
    tx.$queryRaw<{ user_id: string; currency: string; kind: string; balance_minor: bigint }[]>`
      SELECT "user_id"::text, "currency", "kind"::text, "balance_minor" FROM "ledger_accounts"
      WHERE "user_id" = ANY(${users}::uuid[]) AND "kind"::text IN ('user_cash', 'user_credits')`,
    tx.$queryRaw<{ id: string; user_id: string; currency: string; remaining_minor: bigint; expires_at: Date; created_at: Date }[]>`
      SELECT "id"::text, "user_id"::text, "currency", "remaining_minor", "expires_at", "created_at" FROM "resource_packs"
      WHERE "user_id" = ANY(${users}::uuid[]) AND "closed_at" IS NULL AND "activated_at" IS NOT NULL
        AND "expires_at" > ${earliest} AND "remaining_minor" > 0`,
    tx.$queryRaw<{ user_id: string; request_id: string; currency: string; amount_minor: bigint; expires_at: Date }[]>`
      SELECT "user_id"::text, "request_id", "currency", "amount_minor", "expires_at" FROM "api_holds" WHERE "user_id" = ANY(${users}::uuid[])`,
  ]);
  const done = new Set(settled.map((r) => r.k));

  const wallet = new Map<string, Wallet>(wallets.map((k) => [k, { cash: 0n, bonus: 0n, held: 0n, packs: [] }]));
  for (const b of balances) {
    const w = wallet.get(walletKey(b.user_id, b.currency));
    if (w && b.kind === "user_cash") w.cash = BigInt(b.balance_minor);
    if (w && b.kind === "user_credits") w.bonus = BigInt(b.balance_minor);
  }
  for (const p of packs)
    wallet.get(walletKey(p.user_id, p.currency))?.packs.push({ id: p.id, remainingMinor: BigInt(p.remaining_minor), expiresAt: p.expires_at, createdAt: p.created_at });

  const out: Settlement[] = [];
  const packTakes = new Map<string, bigint>();
  const postings: Posting[] = [];
  const rows: object[] = [];
  for (const item of items) {
    const callKey = `${item.userId}:${item.requestId}`;
    if (done.has(callKey)) {
      out.push({ status: "duplicate" });
      continue;
    }
    done.add(callKey);
    const w = wallet.get(walletKey(item.userId, item.currency))!;
    // Money other live calls hold is theirs; this call's own hold is released now.
    const live = (h: { expires_at: Date; currency: string } | undefined) => h && h.currency === item.currency && h.expires_at.getTime() > item.at.getTime();
    const heldByOthers = holds
      .filter((h) => h.user_id === item.userId && h.request_id !== item.requestId && live(h) && !done.has(`${h.user_id}:${h.request_id}`))
      .reduce((s, h) => s + BigInt(h.amount_minor), 0n);
    const packTotal = w.packs.filter((p) => p.expiresAt.getTime() > item.at.getTime()).reduce((s, p) => s + p.remainingMinor, 0n);
    const free = w.cash + w.bonus + packTotal - heldByOthers;
    const charged = item.feeMinor <= free ? item.feeMinor : free > 0n ? free : 0n;
    const split = splitFee({ feeMinor: charged, packs: w.packs, cashMinor: w.cash, bonusMinor: w.bonus, now: item.at })!;
    for (const take of split.packs) {
      const p = w.packs.find((x) => x.id === take.id)!;
      p.remainingMinor -= take.amountMinor;
      packTakes.set(take.id, (packTakes.get(take.id) ?? 0n) + take.amountMinor);
    }
    w.cash -= split.cashMinor;
    w.bonus -= split.bonusMinor;
    const packMinor = split.packs.reduce((s, p) => s + p.amountMinor, 0n);
    const parts: Part[] = [
      ...split.packs.map((p) => ({ source: "pack" as const, ref: p.id, amount: p.amountMinor })),
      ...(split.cashMinor > 0n ? [{ source: "cash" as const, ref: "", amount: split.cashMinor }] : []),
      ...(split.bonusMinor > 0n ? [{ source: "bonus" as const, ref: "", amount: split.bonusMinor }] : []),
    ];
    // Every call has a first part, the row its tokens are counted on (see UsageDay); a free call's is cash, 0.
    if (parts.length === 0) parts.push({ source: "cash", ref: "", amount: 0n });
    if (charged > 0n)
      postings.push({
        idempotencyKey: `api_call:${item.userId}:${item.requestId}`,
        kind: "api_call",
        userId: item.userId,
        memo: item.model,
        at: item.at,
        entries: [
          { account: userPacks(item.userId, item.currency), amountMinor: -packMinor },
          { account: userCash(item.userId, item.currency), amountMinor: -split.cashMinor },
          { account: userCredits(item.userId, item.currency), amountMinor: -split.bonusMinor },
          { account: system("revenue", item.currency), amountMinor: charged },
        ],
      });
    rows.push({
      user_id: item.userId,
      request_id: item.requestId,
      key_id: item.keyId,
      model: item.model,
      currency: item.currency,
      input: item.tokens.inputTokens,
      output: item.tokens.outputTokens,
      cached: item.tokens.cachedTokens,
      fee: item.feeMinor,
      pack: packMinor,
      cash: split.cashMinor,
      bonus: split.bonusMinor,
      uncollected: item.feeMinor - charged,
      parts: parts.map((p) => ({ source: p.source, ref: p.ref, amount: p.amount.toString() })),
      at: item.at,
    });
    out.push({ status: "settled", chargedMinor: charged, uncollectedMinor: item.feeMinor - charged, parts });
  }

  if (packTakes.size) {
    const takes = [...packTakes].map(([id, amount]) => ({ id, amount }));
    // A pack closed meanwhile (the expiry sweep) matches fewer rows: the batch is retried and reads it again.
    const moved = await tx.$executeRaw`UPDATE "resource_packs" p SET "remaining_minor" = p."remaining_minor" - x.amount
      FROM jsonb_to_recordset(${jsonRows(takes)}::jsonb) AS x(id uuid, amount bigint)
      WHERE p."id" = x.id AND p."closed_at" IS NULL`;
    if (moved !== takes.length) throw new Error("a resource pack closed while calls were settled");
  }
  await postMany(tx, postings);
  if (rows.length)
    await tx.$executeRaw`INSERT INTO "api_calls" ("user_id", "request_id", "key_id", "model", "currency", "input_tokens", "output_tokens", "cached_tokens",
        "fee_minor", "pack_minor", "cash_minor", "bonus_minor", "uncollected_minor", "parts", "at")
      SELECT x.user_id, x.request_id, x.key_id, x.model, x.currency, x.input, x.output, x.cached, x.fee, x.pack, x.cash, x.bonus, x.uncollected, x.parts, x.at
      FROM jsonb_to_recordset(${jsonRows(rows)}::jsonb) AS x(user_id uuid, request_id text, key_id uuid, model text, currency text, input int, output int,
        cached int, fee bigint, pack bigint, cash bigint, bonus bigint, uncollected bigint, parts jsonb, at timestamptz)`;
  await tx.$executeRaw`DELETE FROM "api_holds" h USING jsonb_to_recordset(${jsonRows(items.map((i) => ({ u: i.userId, r: i.requestId })))}::jsonb) AS x(u uuid, r text)
    WHERE h."user_id" = x.u AND h."request_id" = x.r`;
  return out;
}
