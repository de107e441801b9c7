import { Temporal } from "temporal-polyfill";
import { dayOf } from "../api-billing";
import type { Db } from "../db";
import { quotaStatus, type QuotaContext } from "../quota";

export type UsageDayTotal = {
  day: string;
  currency: string;
  calls: number;
  inputTokens: bigint;
  outputTokens: bigint;
  amountMinor: bigint;
};

/**
 * A customer's daily consumption over the last `days` days (BILL-2's rows,
 * all models and sources summed per day), newest first. Days are dates in the
 * region's business time zone, as the rollup wrote them; a call's calls and
 * tokens sit on one source row only, so the sums count each call once.
 */
export async function usageByDay(
  database: Db,
  userId: string,
  now: Date,
  timeZone: string,
  days = 30,
): Promise<UsageDayTotal[]> {
  const from = Temporal.PlainDate.from(dayOf(now, timeZone))
    .subtract({ days: days - 1 })
    .toString();
  const rows = await database.$queryRaw<
    { day: string; currency: string; calls: bigint; input: bigint; output: bigint; amount: bigint }[]
  >`
    SELECT "day"::text AS "day", "currency", SUM("calls")::bigint AS "calls", SUM("input_tokens")::bigint AS "input",
           SUM("output_tokens")::bigint AS "output", SUM("amount_minor")::bigint AS "amount"
    FROM "usage_days" WHERE "user_id" = ${userId}::uuid AND "day" >= ${from}::date
    GROUP BY "day", "currency" ORDER BY "day" DESC, "currency"`;
  return rows.map((r) => ({
    day: r.day,
    currency: r.currency,
    calls: Number(r.calls),
    inputTokens: BigInt(r.input),
    outputTokens: BigInt(r.output),
    amountMinor: BigInt(r.amount),
  }));
}

/** The customer's quota windows now (QUOTA-10), read as the usage screen reads them; null without a live plan. */
export async function customerQuota(ctx: QuotaContext, userId: string, now: Date) {
  const plan = await ctx.cache.plan(userId);
  if (!plan || plan.status === "expired") return null;
  return { plan, status: await quotaStatus(ctx, plan, now) };
}
