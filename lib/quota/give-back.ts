import type { QuotaContext } from "./consume";
import type { PlanSubject } from "./subjects";
import { monthOf, weekOf } from "./windows";

/**
 * Returns what a request consumed at `consumedAt`, when the call it paid for
 * never happened (the model server failed before answering): the subscriber
 * is not charged a prompt for an error. Giving back twice returns nothing more.
 */
export async function giveBack(
  ctx: QuotaContext,
  plan: PlanSubject,
  requestId: string,
  consumedAt: Date,
): Promise<boolean> {
  const { rows } = await ctx.pool.query<{ given: boolean }>({
    name: "quota_unconsume",
    text: "SELECT quota_unconsume($1, $2, $3, $4) AS given",
    values: [
      plan.subscriptionId,
      requestId,
      weekOf(plan.orderedAt, consumedAt).index,
      monthOf(consumedAt, ctx.rules.mcpMonthTimeZone).index,
    ],
  });
  return rows[0].given;
}
