import type pg from "pg";

export type ConsumeParams = {
  sub: string; subUpdated: Date; key: string; requestId: string; kind: string; pool: string; model: string; cost: number;
  now: Date; limit5h: number; limitWeek: number | null; weekIndex: number; limitMonth: number; monthKey: number;
};
export type ConsumeRow = { outcome: string; used_5h: number; oldest_5h: Date | null; week_used: number; month_used: number };

type Waiting = { params: ConsumeParams; resolve: (row: ConsumeRow) => void; reject: (e: unknown) => void };

/** Decisions settled in one round trip, at most; more wait for the next batch. */
const MAX_BATCH = 200;

/**
 * Settles consume decisions through quota_consume. Each subscription has
 * its lane (a hash of its id), and each lane has at most one batch in flight:
 * a decision that arrives at an idle lane goes at once, alone (no added
 * latency when idle); decisions that arrive while their lane's batch runs
 * wait and go together in the next one, one transaction and one commit for
 * all. Since a subscription is always in the same lane, two batches of this
 * process never wait on each other's row locks.
 */
export class ConsumeBatcher {
  private lanes: { queue: Waiting[]; running: boolean }[];

  constructor(
    private readonly pool: pg.Pool,
    lanes: number,
  ) {
    this.lanes = Array.from({ length: Math.max(1, lanes) }, () => ({ queue: [], running: false }));
  }

  submit(params: ConsumeParams): Promise<ConsumeRow> {
    const lane = this.lanes[laneOf(params.sub, this.lanes.length)];
    return new Promise((resolve, reject) => {
      lane.queue.push({ params, resolve, reject });
      this.pump(lane);
    });
  }

  private pump(lane: { queue: Waiting[]; running: boolean }) {
    if (lane.running || lane.queue.length === 0) return;
    lane.running = true;
    const batch = lane.queue.splice(0, MAX_BATCH);
    void this.settle(batch).finally(() => {
      lane.running = false;
      this.pump(lane);
    });
  }

  private async settle(batch: Waiting[]): Promise<void> {
    const items = batch.map(({ params: p }, i) => ({
      i, s: p.sub, u: p.subUpdated.toISOString(), k: p.key, r: p.requestId, kind: p.kind, pool: p.pool, m: p.model, c: p.cost,
      t: p.now.toISOString(), l5: p.limit5h, lw: p.limitWeek, wi: p.weekIndex, lm: p.limitMonth, mk: p.monthKey,
    }));
    try {
      const { rows } = await this.pool.query<ConsumeRow & { i: number }>({
        name: "quota_consume",
        text: "SELECT * FROM quota_consume($1::jsonb)",
        values: [JSON.stringify(items)],
      });
      const byIndex = new Map(rows.map((r) => [r.i, r]));
      for (const [i, w] of batch.entries()) {
        const row = byIndex.get(i);
        if (row) w.resolve(row);
        else w.reject(new Error(`quota_consume did not answer item ${i}`));
      }
    } catch (e) {
      // Nothing of the batch committed. A batch of one fails as itself; a larger
      // one is retried one by one, so one bad item cannot fail its neighbours.
      if (batch.length === 1) return batch[0].reject(e);
      for (const w of batch) await this.settle([w]);
    }
  }
}

/** A stable lane for a subscription id (a uuid): its last 8 hex digits, modulo the lanes. */
function laneOf(subscriptionId: string, lanes: number): number {
  return parseInt(subscriptionId.slice(-8), 16) % lanes;
}
