import { randomBytes } from "node:crypto";
import type pg from "pg";
import { hashKey } from "../../lib/quota/subjects";

/**
 * Benchmark subscribers: `count` active Max monthly subscriptions with one
 * key each, written in one statement. Max has 1,600 prompts per 5 hours and
 * 8 concurrency slots, so a run over random keys never exhausts a key and
 * rarely finds its slots full. Answers the keys' secrets. Another `tier`
 * (the skewed benchmark's Lite, 80 prompts) makes limits that hot keys reach.
 */
export async function seedMaxSubscribers(
  c: pg.Client,
  tag: string,
  count: number,
  now: Date,
  tier: "lite" | "pro" | "max" = "max",
): Promise<string[]> {
  const secrets = Array.from({ length: count }, () => `cp_${randomBytes(24).toString("base64url")}`);
  await c.query(
    `WITH k AS (SELECT ordinality AS i, hash FROM unnest($2::text[]) WITH ORDINALITY AS t(hash))
     , u AS (
       INSERT INTO users (id, email, created_at, updated_at)
       SELECT gen_random_uuid(), $3 || i || '@example.test', $1, $1 FROM k RETURNING id, email)
     , s AS (
       INSERT INTO subscriptions (id, user_id, region, currency, tier, cycle, plan_version_id, status, auto_renew, ordered_at,
                                  cycle_anchor, period_index, period_start, period_end, period_paid_minor, created_at, updated_at)
       SELECT gen_random_uuid(), u.id, 'intl', 'USD', $4::"Tier", 'monthly', v.id, 'active', true, $1, $1, 1, $1, $1 + interval '30 days', 6000, $1, $1
         FROM u, plan_versions v WHERE v.tier = $4::"Tier" AND v.current)
     INSERT INTO api_keys (id, user_id, name, prefix, hash, created_at)
     SELECT gen_random_uuid(), u.id, 'bench', 'cp_bench', k.hash, $1 FROM u JOIN k ON u.email = $3 || k.i || '@example.test'`,
    [now, secrets.map(hashKey), tag, tier],
  );
  return secrets;
}
