import type pg from "pg";
import { LaneBatcher } from "../db/lane-batcher";

export type ConsumeParams = {
  sub: string;
  subUpdated: Date;
  key: string;
  requestId: string;
  kind: string;
  pool: string;
  model: string;
  cost: number;
  now: Date;
  limit5h: number;
  limitWeek: number | null;
  weekIndex: number;
  weekStart: Date;
  limitMonth: number;
  monthKey: number;
};
/** `key_*`: the key's own limits (KEY-1) and its use in the plan's windows; the limits null and the use 0 when it has none. */
export type ConsumeRow = {
  outcome: string;
  used_5h: number;
  oldest_5h: Date | null;
  week_used: number;
  month_used: number;
  key_limit_5h: number | null;
  key_used_5h: number;
  key_oldest_5h: Date | null;
  key_limit_week: number | null;
  key_week_used: number;
};

/** One decision as quota_consume (and gateway_admit, which passes it on) reads it: short keys keep the batch's JSON small. */
export function consumeItem(p: ConsumeParams, i: number) {
  return {
    i,
    s: p.sub,
    u: p.subUpdated.toISOString(),
    k: p.key,
    r: p.requestId,
    kind: p.kind,
    pool: p.pool,
    m: p.model,
    c: p.cost,
    t: p.now.toISOString(),
    l5: p.limit5h,
    lw: p.limitWeek,
    wi: p.weekIndex,
    ws: p.weekStart.toISOString(),
    lm: p.limitMonth,
    mk: p.monthKey,
  };
}

/** A batched function's rows put back in the batch's order, by the index each item carried; a missing answer is a bug. */
export function inBatchOrder<R>(rows: (R & { i: number })[], size: number, fn: string): R[] {
  const byIndex = new Map(rows.map((r) => [r.i, r]));
  return Array.from({ length: size }, (_, i) => {
    const row = byIndex.get(i);
    if (!row) throw new Error(`${fn} did not answer item ${i}`);
    return row;
  });
}

/**
 * Settles consume decisions through quota_consume, many in one round trip
 * and one commit: one lane per subscription (LaneBatcher), so a
 * subscription's decisions are always in the same lane.
 */
export class ConsumeBatcher extends LaneBatcher<ConsumeParams, ConsumeRow> {
  constructor(pool: pg.Pool, lanes: number) {
    super(
      lanes,
      (p) => p.sub,
      async (batch) => {
        const { rows } = await pool.query<ConsumeRow & { i: number }>({
          name: "quota_consume_keys",
          text: "SELECT * FROM quota_consume($1::jsonb)",
          values: [JSON.stringify(batch.map(consumeItem))],
        });
        return inBatchOrder(rows, batch.length, "quota_consume");
      },
    );
  }
}
