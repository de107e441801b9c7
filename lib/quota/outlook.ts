import type { QuotaContext, Windows } from "./consume";
import { DAY_PACE_MS, fixedRunOut, PROMPT_PACE_MS, recentRate, rollingRunOut, type Use } from "./forecast";
import type { PlanSubject } from "./subjects";
import { FIVE_HOURS_MS, fiveHourReset, monthOf, weekOf, windowState, type WindowState } from "./windows";

/**
 * ALERT-2 and KEY-1 for the screens and the read-out (never the decision
 * path): when each window would run out at the recent pace, and, for a read-out
 * answered to a key, the key's own windows where they are tighter than the
 * plan's.
 */

export type RunOuts = { fiveHour: number | null; weekly: number | null; monthly: number | null };
export type Outlook = { windows: Windows; runOuts: RunOuts };

type PromptUse = Use & { key: string };

type DayTotals = { prompts: number; mcp: number; keyPrompts: number };

async function recentUses(
  ctx: QuotaContext,
  plan: PlanSubject,
  now: Date,
  keyId: string | null,
): Promise<{ prompts: PromptUse[]; day: DayTotals }> {
  const { rows } = await ctx.pool.query<{ at: Date; units: number; key_id: string }>({
    name: "quota_outlook_prompts",
    text: `SELECT "at", "units", "key_id" FROM "quota_uses" WHERE "subscription_id" = $1 AND "pool" = 'prompt' AND "at" > $2 AND "at" <= $3`,
    values: [plan.subscriptionId, new Date(now.getTime() - FIVE_HOURS_MS), now],
  });
  const day = await ctx.pool.query<{ prompts: number; mcp: number; key_prompts: number }>({
    name: "quota_outlook_day",
    text: `SELECT COALESCE(SUM("units") FILTER (WHERE "pool" = 'prompt'), 0)::int AS prompts, COALESCE(SUM("units") FILTER (WHERE "pool" = 'mcp'), 0)::int AS mcp,
                  COALESCE(SUM("units") FILTER (WHERE "pool" = 'prompt' AND "key_id" = $4), 0)::int AS key_prompts
             FROM "quota_uses" WHERE "subscription_id" = $1 AND "at" > $2 AND "at" <= $3`,
    values: [plan.subscriptionId, new Date(now.getTime() - DAY_PACE_MS), now, keyId],
  });
  const d = day.rows[0];
  return {
    prompts: rows.map((r) => ({ at: r.at.getTime(), units: r.units, key: r.key_id })),
    day: { prompts: d.prompts, mcp: d.mcp, keyPrompts: d.key_prompts },
  };
}

type KeyLimits = { limit5h: number | null; limitWeek: number | null; weekUsed: number };

async function keyLimits(ctx: QuotaContext, keyId: string, weekStart: Date, now: Date): Promise<KeyLimits> {
  const { rows } = await ctx.pool.query<{ limit_5h: number | null; limit_week: number | null; week_used: number }>({
    name: "quota_outlook_key",
    text: `SELECT k."limit_5h", k."limit_week",
                  CASE WHEN k."limit_week" IS NULL THEN 0 ELSE (SELECT COALESCE(SUM(q."units"), 0)::int FROM "quota_uses" q
                    WHERE q."key_id" = k."id" AND q."pool" = 'prompt' AND q."at" >= $2 AND q."at" <= $3) END AS week_used
             FROM "api_keys" k WHERE k."id" = $1`,
    values: [keyId, weekStart, now],
  });
  const r = rows[0];
  return r
    ? { limit5h: r.limit_5h, limitWeek: r.limit_week, weekUsed: r.week_used }
    : { limit5h: null, limitWeek: null, weekUsed: 0 };
}

/** KEY-1: the tighter of two windows: the one with less left. */
function tighter(plan: WindowState, key: WindowState | null): boolean {
  return key !== null && key.remaining < plan.remaining;
}

/**
 * The plan's windows (as quotaStatus read them) and their run-out times; with
 * `keyId`, each prompt window is the key's own where that is tighter, and so
 * is its forecast (from the key's own pace).
 */
export async function windowOutlook(
  ctx: QuotaContext,
  plan: PlanSubject,
  windows: Windows,
  now: Date,
  keyId?: string,
): Promise<Outlook> {
  const t = now.getTime();
  const week = weekOf(plan.orderedAt, now);
  const month = monthOf(now, ctx.rules.mcpMonthTimeZone);
  const [{ prompts, day }, key] = await Promise.all([
    recentUses(ctx, plan, now, keyId ?? null),
    keyId ? keyLimits(ctx, keyId, week.start, now) : null,
  ]);
  const out: Windows = { ...windows };
  let fiveUses: Use[] = prompts;
  let weekDay = day.prompts;
  if (key && keyId) {
    const mine = prompts.filter((u) => u.key === keyId);
    if (key.limit5h !== null) {
      const used = mine.reduce((s, u) => s + u.units, 0);
      const oldest = mine.length ? new Date(Math.min(...mine.map((u) => u.at))) : null;
      const own = windowState(key.limit5h, used, oldest ? fiveHourReset(oldest) : null);
      if (tighter(windows.fiveHour, own)) [out.fiveHour, fiveUses] = [own, mine];
    }
    if (key.limitWeek !== null) {
      const own = windowState(key.limitWeek, key.weekUsed, week.end);
      if (!windows.weekly || tighter(windows.weekly, own)) [out.weekly, weekDay] = [own, day.keyPrompts];
    }
  }
  const runOuts: RunOuts = {
    fiveHour: rollingRunOut(
      { limit: out.fiveHour.limit, uses: fiveUses, spanMs: FIVE_HOURS_MS },
      recentRate(fiveUses, t, PROMPT_PACE_MS),
      t,
    ),
    weekly: out.weekly
      ? fixedRunOut(
          { limit: out.weekly.limit, used: out.weekly.used, endsAt: week.end.getTime() },
          weekDay / DAY_PACE_MS,
          t,
        )
      : null,
    monthly: fixedRunOut(
      { limit: out.monthly.limit, used: out.monthly.used, endsAt: month.end.getTime() },
      day.mcp / DAY_PACE_MS,
      t,
    ),
  };
  return { windows: out, runOuts };
}
