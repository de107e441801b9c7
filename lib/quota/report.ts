import type { QuotaContext } from "./consume";
import type { KeySubject, PlanSubject } from "./subjects";

export type UsageInput = {
  requestId: string;
  model: string;
  tool?: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
};

/**
 * After a call: what it used (tokens, cached tokens, model, tool). Stored once
 * per request id, so a gateway that reports twice (a retry after a timeout)
 * is not counted twice. Answers whether this report was the first.
 */
export async function reportUsage(ctx: QuotaContext, who: { key: KeySubject; plan: PlanSubject }, usage: UsageInput, now: Date): Promise<boolean> {
  const { rowCount } = await ctx.pool.query({
    name: "quota_report_usage",
    text: `INSERT INTO "usage_reports" ("subscription_id", "request_id", "key_id", "model", "tool", "input_tokens", "output_tokens", "cached_tokens", "at")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
    values: [
      who.plan.subscriptionId, usage.requestId, who.key.keyId, usage.model.trim().toLowerCase(), usage.tool ?? null,
      usage.inputTokens, usage.outputTokens, usage.cachedTokens, now,
    ],
  });
  return (rowCount ?? 0) > 0;
}
