import type pg from "pg";
import { jsonRows } from "../db/json-rows";
import { LaneBatcher } from "../db/lane-batcher";

/**
 * The writes around each model call, many calls to one round trip and one
 * commit (LaneBatcher: one lane per subscription): taking a concurrency slot
 * before the call, and the usage report (with the reference gateway's slot
 * release) after it. One statement and one commit per call each were what the
 * gateway benchmark spent its Postgres time on.
 */

export type SlotItem = { sub: string; key: string; requestId: string; limit: number; now: Date; leaseUntil: Date };
export type SlotRow = { outcome: string; held: number };

export class SlotBatcher extends LaneBatcher<SlotItem, SlotRow> {
  constructor(pool: pg.Pool, lanes: number) {
    super(
      lanes,
      (x) => x.sub,
      async (batch) => {
        const { rows } = await pool.query<SlotRow & { i: number }>({
          name: "quota_acquire_slots",
          text: "SELECT * FROM quota_acquire_slots($1::jsonb)",
          values: [
            jsonRows(
              batch.map((x, n) => ({ n, s: x.sub, k: x.key, q: x.requestId, l: x.limit, t: x.now, u: x.leaseUntil })),
            ),
          ],
        });
        return answersInOrder(rows, batch.length, "quota_acquire_slots");
      },
    );
  }
}

/** A usage report as the gateway writes it after a call (report.ts says what each field means). */
export type ReportItem = {
  sub: string;
  requestId: string;
  key: string;
  model: string;
  tool: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  at: Date;
  client: string | null;
  network: string | null;
  agentShaped: boolean | null;
  clientId: string | null;
  device: string | null;
  toolCallIds: readonly string[];
  slotOf: string | null;
};

export class ReportBatcher extends LaneBatcher<ReportItem, boolean> {
  constructor(pool: pg.Pool, lanes: number) {
    super(
      lanes,
      (x) => x.sub,
      async (batch) => {
        const items = batch.map((x, n) => ({
          n,
          s: x.sub,
          q: x.requestId,
          k: x.key,
          m: x.model,
          tool: x.tool,
          it: x.inputTokens,
          ot: x.outputTokens,
          ct: x.cachedTokens,
          cw: x.cacheWriteTokens,
          t: x.at,
          client: x.client,
          network: x.network,
          agent: x.agentShaped,
          cid: x.clientId,
          dev: x.device,
          ids: x.toolCallIds,
          slot: x.slotOf,
        }));
        const { rows } = await pool.query<{ i: number; first: boolean }>({
          name: "quota_report_usage_many",
          text: REPORT_MANY,
          values: [jsonRows(items)],
        });
        return answersInOrder(rows, batch.length, "quota_report_usage_many").map((r) => r.first);
      },
    );
  }
}

// The set-based form of report.ts's statement: each report names its prompt (the one its decision continued, else
// its own), records the tool calls its answer returned under that prompt, and frees its call's slot. Committed
// without waiting for the disk flush, as the admission is (gateway_admit): a database crash can lose the last
// fraction of a second of reports, never half of one, and a flush was most of each report's wait. Each report
// looks up its continuation (LATERAL, OFFSET 0 so that it stays a lookup): planned for the hundred rows Postgres
// guesses a jsonb_to_recordset holds, the join scanned the continuations whole, and they grow with every call.
const REPORT_MANY = `
  WITH items AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS j(n int, s uuid, q text, k uuid, m text, tool text, it int, ot int, ct int, cw int,
      t timestamptz, client text, network text, agent boolean, cid text, dev text, ids text[], slot uuid)),
  report AS (
    INSERT INTO "usage_reports" ("subscription_id", "request_id", "key_id", "model", "tool", "input_tokens", "output_tokens", "cached_tokens",
      "cache_write_tokens", "at", "client", "network", "agent_shaped", "client_id", "device", "prompt_id")
    SELECT x.s, x.q, x.k, lower(trim(x.m)), x.tool, x.it, x.ot, x.ct, x.cw, x.t, x.client, x.network, x.agent, x.cid, x.dev, COALESCE(c."prompt_id", x.q)
      FROM items x LEFT JOIN LATERAL (
        SELECT p."prompt_id" FROM "prompt_continuations" p WHERE p."subscription_id" = x.s AND p."request_id" = x.q OFFSET 0) c ON true
    ON CONFLICT DO NOTHING
    RETURNING "subscription_id", "request_id", "prompt_id", "at"),
  issued AS (
    INSERT INTO "gateway_tool_calls" ("subscription_id", "tool_call_id", "prompt_id", "issued_at")
    SELECT DISTINCT ON (r."subscription_id", id) r."subscription_id", id, r."prompt_id", r."at"
      FROM report r JOIN items x ON x.s = r."subscription_id" AND x.q = r."request_id", unnest(x.ids) AS id
     ORDER BY r."subscription_id", id, r."at" DESC
    ON CONFLICT ("subscription_id", "tool_call_id") DO UPDATE SET "prompt_id" = excluded."prompt_id", "issued_at" = excluded."issued_at"),
  freed AS (DELETE FROM "quota_slots" q USING items x WHERE q."subscription_id" = x.slot AND q."request_id" = x.q),
  async AS (SELECT set_config('synchronous_commit', 'off', true) AS v)
  SELECT x.n AS i, r."request_id" IS NOT NULL AND x.n = (SELECT min(y.n) FROM items y WHERE y.s = x.s AND y.q = x.q) AS first
    FROM items x CROSS JOIN async LEFT JOIN report r ON r."subscription_id" = x.s AND r."request_id" = x.q`;

function answersInOrder<R extends { i: number }>(rows: R[], count: number, name: string): R[] {
  const byIndex = new Map(rows.map((r) => [r.i, r]));
  return Array.from({ length: count }, (_, i) => {
    const row = byIndex.get(i);
    if (!row) throw new Error(`${name} did not answer item ${i}`);
    return row;
  });
}
