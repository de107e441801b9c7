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
        // gateway_report (prisma/sql/functions/gateway_report.sql) says what each report writes and frees.
        const { rows } = await pool.query<{ i: number; first: boolean }>({
          name: "gateway_report",
          text: "SELECT * FROM gateway_report($1::jsonb)",
          values: [jsonRows(items)],
        });
        return answersInOrder(rows, batch.length, "gateway_report").map((r) => r.first);
      },
    );
  }
}

function answersInOrder<R extends { i: number }>(rows: R[], count: number, name: string): R[] {
  const byIndex = new Map(rows.map((r) => [r.i, r]));
  return Array.from({ length: count }, (_, i) => {
    const row = byIndex.get(i);
    if (!row) throw new Error(`${name} did not answer item ${i}`);
    return row;
  });
}
