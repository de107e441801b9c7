type Waiting<I, O> = { item: I; resolve: (out: O) => void; reject: (e: unknown) => void };
type Lane<I, O> = { queue: Waiting<I, O>[]; running: boolean; scheduled: boolean };

/**
 * Groups work for one round trip (or one transaction) at a time per lane.
 * Each item has a lane (a hash of its subject's id), and each lane has at
 * most one batch in flight: an idle lane sends what arrived in the current
 * turn of the event loop (no added latency when idle); items that arrive
 * while its batch runs wait and go together in the next one. Since a subject is
 * always in the same lane, two batches of this process never wait on each
 * other's locks. `run` answers the items in order; when it throws, nothing of
 * the batch is assumed done: a batch of one fails as itself, and a larger one
 * is retried one by one, so one bad item cannot fail its neighbours.
 */
export class LaneBatcher<I, O> {
  private lanes: Lane<I, O>[];

  constructor(
    lanes: number,
    private readonly laneKey: (item: I) => string,
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 200,
  ) {
    this.lanes = Array.from({ length: Math.max(1, lanes) }, () => ({ queue: [], running: false, scheduled: false }));
  }

  submit(item: I): Promise<O> {
    const lane = this.lanes[laneOf(this.laneKey(item), this.lanes.length)];
    return new Promise((resolve, reject) => {
      lane.queue.push({ item, resolve, reject });
      if (lane.running || lane.scheduled) return;
      // An idle lane starts after the requests already read in this turn of the event loop
      // have queued their items too (setImmediate runs after the I/O phase): those go
      // together, where a start at once would send the first alone and make the rest wait
      // for it (README, "Measured": lane counts).
      lane.scheduled = true;
      setImmediate(() => {
        lane.scheduled = false;
        this.pump(lane);
      });
    });
  }

  private pump(lane: Lane<I, O>) {
    if (lane.running || lane.queue.length === 0) return;
    lane.running = true;
    const batch = lane.queue.splice(0, this.maxBatch);
    void this.settle(batch).finally(() => {
      lane.running = false;
      this.pump(lane);
    });
  }

  private async settle(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const out = await this.run(batch.map((w) => w.item));
      for (const [i, w] of batch.entries()) {
        if (i < out.length) w.resolve(out[i]);
        else w.reject(new Error(`batch did not answer item ${i}`));
      }
    } catch (e) {
      if (batch.length === 1) return batch[0].reject(e);
      for (const w of batch) await this.settle([w]);
    }
  }
}

/** A stable lane for an id ending in hex digits (a uuid): its last 8, modulo the lanes. */
function laneOf(id: string, lanes: number): number {
  const n = parseInt(id.slice(-8), 16);
  return (Number.isNaN(n) ? 0 : n) % lanes;
}
