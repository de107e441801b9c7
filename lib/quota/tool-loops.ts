import type { QuotaContext } from "./consume";
import type { PlanSubject } from "./subjects";

export type Continuation = { promptId: string | null; stale: boolean };

/**
 * QUOTA-1: does a call whose last user turn holds only these tool results
 * continue a prompt? Only when every id is a tool call the gateway itself
 * returned to this subscription within the tool-loop time (forged ids, or
 * ids handed to another subscription, make a new prompt). When it does, the
 * continuation is written in the same statement, so the call's usage report
 * is attributed to the prompt whichever gateway instance sends it; a retried
 * request id finds its first answer. One round trip, and only for calls that
 * carry tool results. `stale`: the subscription changed under the cache (the
 * caller reads it again, as quota_consume's callers do).
 */
export async function continuePrompt(ctx: QuotaContext, plan: PlanSubject, requestId: string, toolResultIds: readonly string[], now: Date): Promise<Continuation> {
  const ids = [...new Set(toolResultIds)];
  const { rows } = await ctx.pool.query<{ prompt_id: string | null; fresh: boolean }>({
    name: "quota_continue_prompt",
    text: `WITH fresh AS (SELECT EXISTS (SELECT 1 FROM "subscriptions" WHERE "id" = $1 AND "updated_at" = $6) AS ok),
           known AS (
             SELECT "prompt_id", "issued_at" > $3 AND "issued_at" <= $5 AS "live", "issued_at"
               FROM "gateway_tool_calls" WHERE "subscription_id" = $1 AND "tool_call_id" = ANY($2::text[])),
           -- The time test is on the rows found, not in the lookup: with it there, a generic plan walked the
           -- issued_at index over every tool call of the last 30 minutes (all subscriptions) instead of the key.
           prompt AS (
             SELECT (array_agg("prompt_id" ORDER BY "issued_at" DESC))[1] AS "prompt_id" FROM known
             HAVING count(*) FILTER (WHERE "live") = cardinality($2::text[]) AND (SELECT ok FROM fresh)),
           written AS (
             INSERT INTO "prompt_continuations" ("subscription_id", "request_id", "prompt_id", "at")
             SELECT $1, $4, "prompt_id", $5 FROM prompt
             ON CONFLICT ("subscription_id", "request_id") DO UPDATE SET "prompt_id" = "prompt_continuations"."prompt_id"
             RETURNING "prompt_id")
           SELECT (SELECT "prompt_id" FROM written) AS prompt_id, (SELECT ok FROM fresh) AS fresh`,
    values: [plan.subscriptionId, ids, new Date(now.getTime() - ctx.toolLoopMs), requestId, now, plan.updatedAt],
  });
  return { promptId: rows[0].prompt_id, stale: !rows[0].fresh };
}
