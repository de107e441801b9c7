import { createHash } from "node:crypto";
import type pg from "pg";
import type { SubscriptionStatus, Tier } from "../db";

/**
 * Who is asking, as the decision path needs it: the key (by the SHA-256 of
 * its secret) and its owner's subscription with the plan version's limits.
 * Each is one indexed lookup; subject-cache.ts keeps them between requests.
 */

/** QUOTA-9: `purpose` says what the key may spend; KEY-1: refused from `expiresAt` on (null: never). */
export type KeySubject = { keyId: string; userId: string; hash: string; purpose: KeyPurpose; expiresAt: Date | null };

export type KeyPurpose = "coding" | "payg" | "both";

/** QUOTA-9: plan quota is spent only through keys marked for coding tools. */
export function keyMayCode(key: KeySubject): boolean {
  return key.purpose !== "payg";
}

export type PlanSubject = {
  subscriptionId: string;
  userId: string;
  /** The row version quota_consume checks again under its lock (a stale cache costs a retry, not a wrong answer). */
  updatedAt: Date;
  status: SubscriptionStatus;
  tier: Tier;
  cycle: string;
  autoRenew: boolean;
  periodEnd: Date;
  /** QUOTA-3 weekly anchor: the first order time. */
  orderedAt: Date;
  planVersion: number;
  prompts5h: number;
  /** Null on grandfathered versions: no weekly cap (PLAN-2). */
  weeklyPrompts: number | null;
  mcpMonthly: number;
  concurrency: number;
  /** POLICY-1: throttled until then (null: not throttled). */
  throttledUntil: Date | null;
  /** POLICY-2: a banned account's keys are refused. */
  banned: boolean;
};

export function hashKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export async function loadKey(pool: pg.Pool, hash: string): Promise<KeySubject | null> {
  const { rows } = await pool.query<{ id: string; user_id: string; purpose: KeyPurpose; expires_at: Date | null }>({
    name: "quota_load_key_terms",
    text: 'SELECT "id", "user_id", "purpose", "expires_at" FROM "api_keys" WHERE "hash" = $1 AND "revoked_at" IS NULL',
    values: [hash],
  });
  const r = rows[0];
  return r ? { keyId: r.id, userId: r.user_id, hash, purpose: r.purpose, expiresAt: r.expires_at } : null;
}

/** The user's live subscription if any, else the latest ended one (so a refusal can say "expired"), else null. */
export async function loadPlan(pool: pg.Pool, userId: string): Promise<PlanSubject | null> {
  const { rows } = await pool.query({
    name: "quota_load_plan",
    text: `SELECT s."id", s."updated_at", s."status", s."tier", s."cycle", s."auto_renew", s."period_end", s."ordered_at", s."throttled_until",
                  v."version", v."prompts_5h", v."weekly_prompts", v."mcp_monthly", v."concurrency", u."status" = 'banned' AS "banned"
             FROM "subscriptions" s JOIN "plan_versions" v ON v."id" = s."plan_version_id" JOIN "users" u ON u."id" = s."user_id"
            WHERE s."user_id" = $1
            ORDER BY (s."status" <> 'expired') DESC, s."created_at" DESC
            LIMIT 1`,
    values: [userId],
  });
  const r = rows[0];
  if (!r) return null;
  return {
    subscriptionId: r.id,
    userId,
    updatedAt: r.updated_at,
    status: r.status,
    tier: r.tier,
    cycle: r.cycle,
    autoRenew: r.auto_renew,
    periodEnd: r.period_end,
    orderedAt: r.ordered_at,
    planVersion: r.version,
    prompts5h: r.prompts_5h,
    weeklyPrompts: r.weekly_prompts,
    mcpMonthly: r.mcp_monthly,
    concurrency: r.concurrency,
    throttledUntil: r.throttled_until,
    banned: r.banned,
  };
}
