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
 * Settles consume decisions through quota_consume_many. A decision that
 * arrives while nothing is in flight goes at once, alone (no added latency
 * when idle); decisions that arrive while `inFlight` batches are running wait
 * and go together in the next one, one transaction and one commit for all.
 * Under load this is what lets a decision cost less than a commit of its own.
 */
export class ConsumeBatcher {
  private queue: Waiting[] = [];
  private running = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly inFlight: number,
  ) {}

  submit(params: ConsumeParams): Promise<ConsumeRow> {
    return new Promise((resolve, reject) => {
      this.queue.push({ params, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.running < this.inFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.running += 1;
      void this.settle(batch).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async settle(batch: Waiting[]) {
    const items = batch.map(({ params: p }, i) => ({
      i, s: p.sub, u: p.subUpdated.toISOString(), k: p.key, r: p.requestId, kind: p.kind, pool: p.pool, m: p.model, c: p.cost,
      t: p.now.toISOString(), l5: p.limit5h, lw: p.limitWeek, wi: p.weekIndex, lm: p.limitMonth, mk: p.monthKey,
    }));
    try {
      const { rows } = await this.pool.query<ConsumeRow & { i: number }>({
        name: "quota_consume_many",
        text: "SELECT * FROM quota_consume_many($1::jsonb)",
        values: [JSON.stringify(items)],
      });
      const byIndex = new Map(rows.map((r) => [r.i, r]));
      for (const [i, w] of batch.entries()) {
        const row = byIndex.get(i);
        if (row) w.resolve(row);
        else w.reject(new Error(`quota_consume_many did not answer item ${i}`));
      }
    } catch (e) {
      // Nothing of the batch committed. A batch of one fails as itself; a larger
      // one is retried one by one, so one bad item cannot fail its neighbours.
      if (batch.length === 1) return batch[0].reject(e);
      for (const w of batch) {
        this.running += 1;
        await this.settle([w]).finally(() => (this.running -= 1));
      }
    }
  }
}
