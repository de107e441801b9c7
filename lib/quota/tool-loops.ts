import type pg from "pg";
import { jsonRows } from "../db/json-rows";
import { LaneBatcher } from "../db/lane-batcher";
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
 * request id finds its first answer. Only calls that carry tool results ask,
 * and those that ask together share one round trip (ContinuationBatcher).
 * `stale`: the subscription changed under the cache (the caller reads it
 * again, as quota_consume's callers do).
 */
export function continuePrompt(
  ctx: QuotaContext,
  plan: PlanSubject,
  requestId: string,
  toolResultIds: readonly string[],
  now: Date,
): Promise<Continuation> {
  return ctx.continuations.submit({
    sub: plan.subscriptionId,
    subUpdated: plan.updatedAt,
    requestId,
    ids: [...new Set(toolResultIds)],
    now,
    since: new Date(now.getTime() - ctx.toolLoopMs),
  });
}

type Item = { sub: string; subUpdated: Date; requestId: string; ids: string[]; now: Date; since: Date };

export class ContinuationBatcher extends LaneBatcher<Item, Continuation> {
  constructor(pool: pg.Pool, lanes: number) {
    super(
      lanes,
      (x) => x.sub,
      async (batch) => {
        const items = batch.map((x, n) => ({
          n,
          s: x.sub,
          u: x.subUpdated,
          q: x.requestId,
          ids: x.ids,
          t: x.now,
          since: x.since,
        }));
        const { rows } = await pool.query<{ i: number; prompt_id: string | null; fresh: boolean }>({
          name: "quota_continue_prompts",
          text: CONTINUE,
          values: [jsonRows(items)],
        });
        const byIndex = new Map(rows.map((r) => [r.i, r]));
        return batch.map((_, i) => {
          const row = byIndex.get(i);
          if (!row) throw new Error(`quota_continue_prompts did not answer item ${i}`);
          return { promptId: row.prompt_id, stale: !row.fresh };
        });
      },
    );
  }
}

// The tool calls are found by their key only and their time is judged on the rows found: with the time test in
// the lookup, a generic plan walked the issued_at index over every subscription's recent tool calls. Each item
// looks up its own rows (LATERAL, OFFSET 0 so that it stays a lookup): planned for the hundred rows Postgres
// guesses a jsonb_to_recordset holds, the joins scanned both tables whole.
const CONTINUE = `
  WITH items AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS j(n int, s uuid, u timestamptz, q text, ids text[], t timestamptz, since timestamptz)),
  fresh AS (
    SELECT x.n, f.ok IS NOT NULL AS ok FROM items x
      LEFT JOIN LATERAL (SELECT true AS ok FROM "subscriptions" s WHERE s."id" = x.s AND s."updated_at" = x.u OFFSET 0) f ON true),
  known AS (
    SELECT x.n, c."prompt_id", c."issued_at", c."issued_at" > x.since AND c."issued_at" <= x.t AS live
      FROM items x CROSS JOIN LATERAL (
        SELECT * FROM "gateway_tool_calls" g WHERE g."subscription_id" = x.s AND g."tool_call_id" = ANY(x.ids) OFFSET 0) c),
  prompt AS (
    SELECT k.n, (array_agg(k."prompt_id" ORDER BY k."issued_at" DESC))[1] AS "prompt_id"
      FROM known k JOIN items x ON x.n = k.n JOIN fresh f ON f.n = k.n AND f.ok
     GROUP BY k.n, x.ids
    HAVING count(*) FILTER (WHERE k.live) = cardinality(x.ids)),
  written AS (
    INSERT INTO "prompt_continuations" ("subscription_id", "request_id", "prompt_id", "at")
    SELECT x.s, x.q, p."prompt_id", x.t FROM prompt p JOIN items x ON x.n = p.n
    ON CONFLICT ("subscription_id", "request_id") DO UPDATE SET "prompt_id" = "prompt_continuations"."prompt_id"
    RETURNING "subscription_id", "request_id", "prompt_id")
  SELECT x.n AS i, w."prompt_id", f.ok AS fresh
    FROM items x JOIN fresh f ON f.n = x.n LEFT JOIN written w ON w."subscription_id" = x.s AND w."request_id" = x.q`;
