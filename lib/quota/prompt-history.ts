import type { QuotaContext } from "./consume";

/** One prompt as the usage screen lists it: when it started, its model, and the model calls and tokens of its tool loop (QUOTA-1). */
export type PromptRow = { promptId: string; startedAt: Date; model: string; calls: number; tokens: number };

/**
 * The subscription's latest prompts since `from`, newest first, with the
 * calls that continued each one counted under it (usage reports carry their
 * prompt's id). Read from the (subscription, time) index.
 */
export async function recentPrompts(
  ctx: QuotaContext,
  subscriptionId: string,
  from: Date,
  limit = 20,
): Promise<PromptRow[]> {
  const { rows } = await ctx.pool.query<{
    prompt_id: string;
    started_at: Date;
    model: string;
    calls: number;
    tokens: string;
  }>({
    name: "quota_recent_prompt_rows",
    text: `SELECT "prompt_id", min("at") AS started_at, (array_agg("model" ORDER BY "at"))[1] AS model, count(*)::int AS calls,
                  sum("input_tokens" + "output_tokens")::bigint AS tokens
             FROM "usage_reports" WHERE "subscription_id" = $1 AND "at" >= $2
            GROUP BY "prompt_id" ORDER BY started_at DESC LIMIT $3`,
    values: [subscriptionId, from, limit],
  });
  return rows.map((r) => ({
    promptId: r.prompt_id,
    startedAt: r.started_at,
    model: r.model,
    calls: r.calls,
    tokens: Number(r.tokens),
  }));
}
