import type { CallerSignals } from "../policy/signals";
import type { QuotaContext } from "./consume";
import type { KeySubject, PlanSubject } from "./subjects";

export type UsageInput = {
  requestId: string;
  model: string;
  tool?: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  /** Who called, when the gateway says (POLICY-1, POLICY-3). */
  caller?: CallerSignals | null;
};

/**
 * After a call: what it used (tokens, cached tokens, model, tool). Stored once
 * per request id, so a gateway that reports twice (a retry after a timeout)
 * is not counted twice. Answers whether this report was the first. The
 * caller's signals are what the usage-policy rules read.
 */
export async function reportUsage(ctx: QuotaContext, who: { key: KeySubject; plan: PlanSubject }, usage: UsageInput, now: Date): Promise<boolean> {
  const { rowCount } = await ctx.pool.query({
    name: "quota_report_usage",
    text: `INSERT INTO "usage_reports" ("subscription_id", "request_id", "key_id", "model", "tool", "input_tokens", "output_tokens", "cached_tokens", "at",
             "client", "network", "agent_shaped")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
    values: [
      who.plan.subscriptionId, usage.requestId, who.key.keyId, usage.model.trim().toLowerCase(), usage.tool ?? null,
      usage.inputTokens, usage.outputTokens, usage.cachedTokens, now,
      usage.caller?.client ?? null, usage.caller?.network ?? null, usage.caller?.agentShaped ?? null,
    ],
  });
  return (rowCount ?? 0) > 0;
}
