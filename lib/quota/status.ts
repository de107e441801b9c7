import { windowsOf, type QuotaContext, type Windows } from "./consume";
import type { PlanSubject } from "./subjects";
import { FIVE_HOURS_MS, monthOf, weekOf } from "./windows";

export type QuotaStatus = Windows & { toolCounts: { webSearch: number; webReader: number } };

/**
 * QUOTA-10: each window's use now, read without consuming. Same counts and
 * boundaries as the decision path (windowsOf), so the usage screen and the
 * read-out API can never disagree with what the gateway is told.
 */
export async function quotaStatus(ctx: QuotaContext, plan: PlanSubject, now: Date): Promise<QuotaStatus> {
  const week = weekOf(plan.orderedAt, now);
  const month = monthOf(now, ctx.rules.mcpMonthTimeZone);
  const { rows } = await ctx.pool.query({
    name: "quota_status",
    text: `SELECT
        (SELECT COALESCE(SUM("units"), 0)::int FROM "quota_uses" WHERE "subscription_id" = $1 AND "pool" = 'prompt' AND "at" > $2) AS used_5h,
        (SELECT MIN("at") FROM "quota_uses" WHERE "subscription_id" = $1 AND "pool" = 'prompt' AND "at" > $2) AS oldest_5h,
        COALESCE((SELECT "week_used" FROM "quota_counters" WHERE "subscription_id" = $1 AND "week_index" = $3), 0) AS week_used,
        COALESCE((SELECT "month_used" FROM "quota_counters" WHERE "subscription_id" = $1 AND "month_key" = $4), 0) AS month_used,
        (SELECT count(*)::int FROM "quota_uses" WHERE "subscription_id" = $1 AND "pool" = 'mcp' AND "kind" = 'web_search' AND "at" >= $5 AND "at" < $6) AS web_search,
        (SELECT count(*)::int FROM "quota_uses" WHERE "subscription_id" = $1 AND "pool" = 'mcp' AND "kind" = 'web_reader' AND "at" >= $5 AND "at" < $6) AS web_reader`,
    values: [
      plan.subscriptionId,
      new Date(now.getTime() - FIVE_HOURS_MS),
      week.index,
      month.index,
      month.start,
      month.end,
    ],
  });
  const r = rows[0];
  return { ...windowsOf(plan, r, now, ctx.rules), toolCounts: { webSearch: r.web_search, webReader: r.web_reader } };
}
