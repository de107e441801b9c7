import type pg from "pg";
import type { QuotaKind } from "../db/generated/enums";
import { policySettings } from "../policy/config";
import { isThrottled } from "../policy/throttle";
import type { ConsumeBatcher } from "./batcher";
import type { AdmitBatcher } from "./admit";
import type { ReportBatcher, SlotBatcher } from "./call-batchers";
import { findModel, tierMayUse, type ModelRules } from "./models";
import type { Refusal } from "./refusals";
import type { SubjectCache } from "./subject-cache";
import { hashKey, keyMayCode, type KeySubject, type PlanSubject } from "./subjects";
import { continuePrompt, type ContinuationBatcher } from "./tool-loops";
import { fiveHourReset, monthOf, promptCost, weekOf, windowState, type WindowState } from "./windows";

export const QUOTA_KINDS = ["prompt", "vision", "web_search", "web_reader"] as const satisfies readonly QuotaKind[];

/** `toolResultIds`: the ids of the tool calls the call's last user turn answers, when it holds only tool results (QUOTA-1). */
export type ConsumeInput = {
  key: string;
  /** hashKey(key), when the caller has it already: a call hashes its key once. */
  keyHash?: string;
  model: string;
  kind: QuotaKind;
  requestId: string;
  toolResultIds?: readonly string[];
};

export type Windows = { fiveHour: WindowState; weekly: WindowState | null; monthly: WindowState };

export type Decision =
  // `promptId`: the prompt the call belongs to (its own request id, or the one it continues at no cost; then no windows were read).
  | {
      allowed: true;
      duplicate: boolean;
      cost: number;
      promptId: string;
      key: KeySubject;
      plan: PlanSubject;
      windows?: Windows;
    }
  | { allowed: false; refusal: Refusal; key?: KeySubject; plan?: PlanSubject; windows?: Windows };

/** `toolLoopMs`: how long a tool call the gateway returned can be answered within its prompt (QUOTA-1). */
export type QuotaContext = {
  pool: pg.Pool;
  cache: SubjectCache;
  rules: ModelRules;
  batcher: ConsumeBatcher;
  slots: SlotBatcher;
  reports: ReportBatcher;
  continuations: ContinuationBatcher;
  admissions: AdmitBatcher;
  toolLoopMs: number;
};

/** Web search and web reader draw on the monthly MCP count; prompts and vision on the 5-hour pool and the week (QUOTA-4). */
export function quotaPoolOf(kind: QuotaKind): "prompt" | "mcp" {
  return kind === "web_search" || kind === "web_reader" ? "mcp" : "prompt";
}

type Counts = { used_5h: number; oldest_5h: Date | null; week_used: number; month_used: number };

/** The three windows from the counts the database returned, with the boundaries windows.ts computed. */
export function windowsOf(plan: PlanSubject, counts: Counts, now: Date, rules: ModelRules): Windows {
  const week = weekOf(plan.orderedAt, now);
  const month = monthOf(now, rules.mcpMonthTimeZone);
  return {
    fiveHour: windowState(plan.prompts5h, counts.used_5h, counts.oldest_5h ? fiveHourReset(counts.oldest_5h) : null),
    weekly: plan.weeklyPrompts === null ? null : windowState(plan.weeklyPrompts, counts.week_used, week.end),
    monthly: windowState(plan.mcpMonthly, counts.month_used, month.end),
  };
}

/**
 * POLICY-1: a throttled subscription's prompts in the last minute. Read only
 * while it is throttled, so the hot path pays nothing otherwise. Not under
 * the consume lock: the throttle's single concurrency slot is what keeps a
 * throttled caller from racing past it through the gateway.
 */
async function recentPrompts(ctx: QuotaContext, subscriptionId: string, now: Date): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>({
    name: "quota_recent_prompts",
    text: `SELECT count(*)::int AS n FROM "quota_uses" WHERE "subscription_id" = $1 AND "pool" = 'prompt' AND "at" > $2 AND "at" <= $3`,
    values: [subscriptionId, new Date(now.getTime() - 60_000), now],
  });
  return rows[0].n;
}

/**
 * The key and its owner's active plan, or the refusal that says why not.
 * With `now`, an expired key is refused (KEY-1); quota_consume checks expiry
 * and purpose again under its lock, so a stale cache never spends quota.
 */
export async function authorize(
  ctx: QuotaContext,
  secret: string,
  now?: Date,
  hash?: string,
): Promise<{ key: KeySubject; plan: PlanSubject } | { refusal: Refusal; key?: KeySubject; plan?: PlanSubject }> {
  const key = secret ? await ctx.cache.key(hash ?? hashKey(secret)) : null;
  if (!key) return { refusal: { code: "invalid_key" } };
  if (now && key.expiresAt && key.expiresAt.getTime() <= now.getTime())
    return { refusal: { code: "key_expired", expiredAt: key.expiresAt } };
  // QUOTA-9: only keys marked for coding tools reach the plan.
  if (!keyMayCode(key)) return { key, refusal: { code: "key_not_for_coding" } };
  const plan = await ctx.cache.plan(key.userId);
  if (!plan) return { key, refusal: { code: "no_plan" } };
  if (plan.banned) return { key, plan, refusal: { code: "banned" } };
  if (plan.status !== "active") return { key, plan, refusal: { code: "plan_inactive", status: plan.status } };
  return { key, plan };
}

/**
 * QUOTA-1..7: may this key spend quota on this request? Checks and records in
 * at most one round trip (quota_consume, batched with whatever else is
 * waiting). A retried request id is answered again and not counted twice.
 * When the subscription changed under the cache (renewed, upgraded, ended),
 * the subject is read again and the decision retried.
 */
export async function consume(ctx: QuotaContext, input: ConsumeInput, now: Date): Promise<Decision> {
  for (let attempt = 0; ; attempt++) {
    const who = await authorize(ctx, input.key, now);
    if ("refusal" in who) return { allowed: false, ...who };
    const { key, plan } = who;
    const pool = quotaPoolOf(input.kind);
    const price = priced(ctx, plan, input, now);
    if ("refusal" in price) return { allowed: false, key, plan, refusal: price.refusal };
    const { cost, modelId } = price;
    if (pool === "prompt") {
      if (input.toolResultIds?.length) {
        const c = await continuePrompt(ctx, plan, input.requestId, input.toolResultIds, now);
        if (c.stale) {
          ctx.cache.forgetPlan(key.userId);
          if (attempt < 2) continue;
          return { allowed: false, refusal: { code: "no_plan" } };
        }
        if (c.promptId) return { allowed: true, duplicate: false, cost: 0, promptId: c.promptId, key, plan };
      }
    }
    if (
      isThrottled(plan, now) &&
      (await recentPrompts(ctx, plan.subscriptionId, now)) >= policySettings().throttle.promptsPerMinute
    )
      return { allowed: false, key, plan, refusal: { code: "concurrency" } };
    const week = weekOf(plan.orderedAt, now);
    const month = monthOf(now, ctx.rules.mcpMonthTimeZone);
    const row = await ctx.batcher.submit({
      sub: plan.subscriptionId,
      subUpdated: plan.updatedAt,
      key: key.keyId,
      requestId: input.requestId,
      kind: input.kind,
      pool,
      model: modelId,
      cost,
      now,
      limit5h: plan.prompts5h,
      limitWeek: plan.weeklyPrompts,
      weekIndex: week.index,
      weekStart: week.start,
      limitMonth: plan.mcpMonthly,
      monthKey: month.index,
    });
    const behind = behindCache(ctx, { key, plan }, row.outcome, now);
    if (behind) {
      if (attempt < 2) continue;
      return behind;
    }
    return decisionOf(ctx, { key, plan }, row, cost, input.requestId, now);
  }
}

/**
 * quota_consume's answers that mean the cache was behind the database: the
 * plan changed (stale), the key was revoked, or its terms changed (KEY-1
 * expiry, QUOTA-9 purpose; refused under the lock all the same). The stale
 * entry is forgotten so the caller can read again and retry (at most twice);
 * the refusal is what to answer once the retries are spent. Null otherwise.
 */
export function behindCache(
  ctx: QuotaContext,
  who: { key: KeySubject; plan: PlanSubject },
  outcome: string | null,
  now: Date,
): Decision | null {
  const { key, plan } = who;
  switch (outcome) {
    case "stale":
      ctx.cache.forgetPlan(key.userId);
      return { allowed: false, refusal: { code: "no_plan" } };
    case "revoked":
      ctx.cache.forgetKey(key.hash);
      return { allowed: false, refusal: { code: "invalid_key" } };
    case "expired":
      ctx.cache.forgetKey(key.hash);
      return { allowed: false, key, plan, refusal: { code: "key_expired", expiredAt: key.expiresAt ?? now } };
    case "not_coding":
      ctx.cache.forgetKey(key.hash);
      return { allowed: false, key, plan, refusal: { code: "key_not_for_coding" } };
    default:
      return null;
  }
}

/** What the model rules say of a call before anything is written: its cost and model id, or the refusal. */
export function priced(
  ctx: QuotaContext,
  plan: PlanSubject,
  input: Pick<ConsumeInput, "model" | "kind">,
  now: Date,
): { cost: number; modelId: string } | { refusal: Refusal } {
  if (quotaPoolOf(input.kind) !== "prompt") return { cost: 1, modelId: input.model.trim().toLowerCase() };
  const model = findModel(ctx.rules, input.model);
  if (!model) return { refusal: { code: "unknown_model", model: input.model } };
  if (!tierMayUse(model, plan.tier))
    return { refusal: { code: "model_not_in_tier", model: model.name, tiers: model.tiers } };
  return { cost: promptCost(model, now, ctx.rules.peak), modelId: model.id };
}

/** The decision quota_consume's row (allowed, duplicate or a denial, with its counts) stands for. */
export function decisionOf(
  ctx: QuotaContext,
  who: { key: KeySubject; plan: PlanSubject },
  row: Counts & { outcome: string; key_oldest_5h?: Date | null },
  cost: number,
  requestId: string,
  now: Date,
): Decision {
  const { key, plan } = who;
  const windows = windowsOf(plan, row, now, ctx.rules);
  switch (row.outcome) {
    case "allowed":
    case "duplicate":
      return { allowed: true, duplicate: row.outcome === "duplicate", cost, promptId: requestId, key, plan, windows };
    case "denied_5h":
      return {
        allowed: false,
        key,
        plan,
        windows,
        refusal: { code: "five_hour", resetAt: windows.fiveHour.resetAt ?? now },
      };
    case "denied_weekly":
      return {
        allowed: false,
        key,
        plan,
        windows,
        refusal: { code: "weekly", resetAt: weekOf(plan.orderedAt, now).end },
      };
    case "denied_monthly":
      return {
        allowed: false,
        key,
        plan,
        windows,
        refusal: { code: "monthly", resetAt: monthOf(now, ctx.rules.mcpMonthTimeZone).end },
      };
    // KEY-1: the plan's codes, with the key's own reset time.
    case "denied_key_5h":
      return {
        allowed: false,
        key,
        plan,
        windows,
        refusal: {
          code: "five_hour",
          resetAt: row.key_oldest_5h ? fiveHourReset(row.key_oldest_5h) : now,
          byKey: true,
        },
      };
    case "denied_key_weekly":
      return {
        allowed: false,
        key,
        plan,
        windows,
        refusal: { code: "weekly", resetAt: weekOf(plan.orderedAt, now).end, byKey: true },
      };
    default:
      throw new Error(`quota_consume answered ${row.outcome}`);
  }
}
