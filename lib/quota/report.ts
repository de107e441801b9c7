import type { CallerSignals } from "../policy/signals";
import type { QuotaContext } from "./consume";
import type { KeySubject, PlanSubject } from "./subjects";

export type UsageInput = {
  requestId: string;
  model: string;
  tool?: string | null;
  /** Every input token, cached or not (OpenAI's prompt_tokens; Anthropic's input + cache read + cache write). */
  inputTokens: number;
  outputTokens: number;
  /** Of the input, read from the model server's prompt cache. */
  cachedTokens: number;
  /** Of the input, written to the model server's prompt cache. */
  cacheWriteTokens?: number;
  /** QUOTA-1: the tool calls the model returned in this answer; a call that answers them continues this call's prompt. */
  toolCallIds?: readonly string[];
  /** Who called, when the gateway says (POLICY-1, POLICY-3). */
  caller?: CallerSignals | null;
};

/**
 * After a call: what it used (tokens, cached tokens, model, tool). Stored once
 * per request id, so a gateway that reports twice (a retry after a timeout)
 * is not counted twice. Answers whether this report was the first. The
 * caller's signals are what the usage-policy rules read.
 *
 * QUOTA-1: the report names the prompt the call belongs to (the one its
 * decision continued, else its own), and records the tool calls the answer
 * returned under that prompt, in the same statement: a report either counts
 * and opens the next step of the tool loop, or does neither. A tool call id
 * the model server reuses is taken over by the newest answer.
 */
export async function reportUsage(ctx: QuotaContext, who: { key: KeySubject; plan: PlanSubject }, usage: UsageInput, now: Date): Promise<boolean> {
  const { rows } = await ctx.pool.query<{ n: number }>({
    name: "quota_report_usage",
    text: `WITH report AS (
             INSERT INTO "usage_reports" ("subscription_id", "request_id", "key_id", "model", "tool", "input_tokens", "output_tokens", "cached_tokens",
               "cache_write_tokens", "at", "client", "network", "agent_shaped", "prompt_id")
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
               COALESCE((SELECT "prompt_id" FROM "prompt_continuations" WHERE "subscription_id" = $1 AND "request_id" = $2), $2))
             ON CONFLICT DO NOTHING
             RETURNING "prompt_id"),
           issued AS (
             INSERT INTO "gateway_tool_calls" ("subscription_id", "tool_call_id", "prompt_id", "issued_at")
             SELECT DISTINCT ON (id) $1, id, report."prompt_id", $10 FROM report, unnest($14::text[]) AS id
             ON CONFLICT ("subscription_id", "tool_call_id") DO UPDATE SET "prompt_id" = excluded."prompt_id", "issued_at" = excluded."issued_at")
           SELECT count(*)::int AS n FROM report`,
    values: [
      who.plan.subscriptionId, usage.requestId, who.key.keyId, usage.model.trim().toLowerCase(), usage.tool ?? null,
      usage.inputTokens, usage.outputTokens, usage.cachedTokens, usage.cacheWriteTokens ?? 0, now,
      usage.caller?.client ?? null, usage.caller?.network ?? null, usage.caller?.agentShaped ?? null, usage.toolCallIds ?? [],
    ],
  });
  return rows[0].n > 0;
}
