import type pg from "pg";
import { jsonRows } from "../db/json-rows";
import { LaneBatcher } from "../db/lane-batcher";

/**
 * Taking (or renewing) concurrency slots, many calls to one round trip and
 * one commit (LaneBatcher: one lane per subscription). The reference
 * gateway's admissions and usage reports go together (gateway-rounds.ts).
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

function answersInOrder<R extends { i: number }>(rows: R[], count: number, name: string): R[] {
  const byIndex = new Map(rows.map((r) => [r.i, r]));
  return Array.from({ length: count }, (_, i) => {
    const row = byIndex.get(i);
    if (!row) throw new Error(`${name} did not answer item ${i}`);
    return row;
  });
}
