import type pg from "pg";

/** KEY-1: what one key used over a span: prompts (plan quota), model calls, tokens, and pay-as-you-go spend. */
export type KeyUsage = { prompts: number; calls: number; tokens: number; spendMicro: bigint };

export type KeyUsageSpans = Map<string, { last7: KeyUsage; last30: KeyUsage }>;

const DAY_MS = 86_400_000;

/**
 * Each of the user's keys' usage over the last 7 and 30 days, in three
 * grouped reads: prompts from quota_uses (by key and time), coding-plan calls
 * and tokens from usage_reports, pay-as-you-go calls, tokens and fees from
 * api_calls. The spend is exact (micro-units of the minor unit, BILL-1).
 */
export async function keyUsage(pool: pg.Pool, userId: string, keyIds: string[], now: Date): Promise<KeyUsageSpans> {
  const out: KeyUsageSpans = new Map();
  const empty = (): KeyUsage => ({ prompts: 0, calls: 0, tokens: 0, spendMicro: 0n });
  for (const id of keyIds) out.set(id, { last7: empty(), last30: empty() });
  if (keyIds.length === 0) return out;
  const since30 = new Date(now.getTime() - 30 * DAY_MS);
  const since7 = new Date(now.getTime() - 7 * DAY_MS);
  const { rows } = await pool.query<{
    key_id: string;
    recent: boolean;
    prompts: number;
    calls: number;
    tokens: string;
    spend: string;
  }>({
    name: "key_usage_spans",
    text: `WITH p AS (
             SELECT "key_id", "at" > $4 AS recent, count(*)::int AS prompts, 0 AS calls, 0::bigint AS tokens, 0::numeric AS spend
               FROM "quota_uses" WHERE "key_id" = ANY($2::uuid[]) AND "pool" = 'prompt' AND "at" > $3 AND "at" <= $5 GROUP BY 1, 2
           ), r AS (
             SELECT u."key_id", u."at" > $4 AS recent, 0 AS prompts, count(*)::int AS calls, SUM(u."input_tokens" + u."output_tokens")::bigint AS tokens, 0::numeric AS spend
               FROM "usage_reports" u JOIN "subscriptions" s ON s."id" = u."subscription_id"
              WHERE s."user_id" = $1 AND u."key_id" = ANY($2::uuid[]) AND u."at" > $3 AND u."at" <= $5 GROUP BY 1, 2
           ), c AS (
             SELECT "key_id", "at" > $4 AS recent, 0 AS prompts, count(*)::int AS calls, SUM("input_tokens" + "output_tokens")::bigint AS tokens, SUM("fee_micro")::numeric AS spend
               FROM "api_calls" WHERE "user_id" = $1 AND "key_id" = ANY($2::uuid[]) AND "at" > $3 AND "at" <= $5 GROUP BY 1, 2
           )
           SELECT "key_id", recent, SUM(prompts)::int AS prompts, SUM(calls)::int AS calls, SUM(tokens)::text AS tokens, SUM(spend)::text AS spend
             FROM (SELECT * FROM p UNION ALL SELECT * FROM r UNION ALL SELECT * FROM c) x GROUP BY 1, 2`,
    values: [userId, keyIds, since30, since7, now],
  });
  for (const r of rows) {
    const spans = out.get(r.key_id);
    if (!spans) continue;
    const add = (u: KeyUsage) => {
      u.prompts += r.prompts;
      u.calls += r.calls;
      u.tokens += Number(r.tokens);
      u.spendMicro += BigInt(r.spend.split(".")[0]);
    };
    add(spans.last30);
    if (r.recent) add(spans.last7);
  }
  return out;
}
