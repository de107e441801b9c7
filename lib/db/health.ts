import pg from "pg";

const isTimeout = (e: unknown) => e instanceof Error && /timeout/i.test(e.message);

/**
 * REL-3: one watching connection per process tells whether Postgres is there.
 * It breaks the moment the server dies or shuts down (the server ends its
 * sessions), so the process knows at once, without a request having to find
 * out by waiting; while it is down, a fresh connection is tried every
 * `probeMs` until one answers `SELECT 1` (a starting server refuses with
 * "the database system is starting up" until its crash recovery is done).
 * Requests that arrive meanwhile are answered 503 by the outage gate
 * (lib/http/outage-gate.ts) instead of failing one by one.
 */
export class DatabaseHealth {
  private up = true;
  private client: pg.Client | null = null;
  private waiters = new Set<() => void>();
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly opts: { probeMs?: number; connectTimeoutMs?: number; log?: (line: string) => void } = {},
  ) {}

  start() {
    void this.connect();
    return this;
  }

  isUp(): boolean {
    return this.up;
  }

  /** Resolves true as soon as the database is up again, false after `ms`. */
  whenUp(ms: number): Promise<boolean> {
    if (this.up) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.waiters.delete(done);
        resolve(this.up);
      };
      const t = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    // Forget the client first: its "end" must not read as the database going away.
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }

  private set(up: boolean) {
    if (this.up === up || this.stopped) return;
    this.up = up;
    this.opts.log?.(up ? "database: back" : "database: unavailable; answering 503 until it is back");
    if (up) for (const w of [...this.waiters]) w();
  }

  private async connect() {
    if (this.stopped) return;
    const c = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.opts.connectTimeoutMs ?? 5000,
    });
    const lost = () => {
      if (this.client !== c) return;
      this.client = null;
      this.set(false);
      void c.end().catch(() => {});
      this.retry();
    };
    c.on("error", lost);
    c.on("end", lost);
    try {
      await c.connect();
      await c.query("SELECT 1");
      // The watch must not keep a finishing process alive.
      (c as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      this.client = c;
      this.set(true);
    } catch (e) {
      void c.end().catch(() => {});
      // A connection that is merely slow (a busy machine) does not mean the server is gone: only a refusal, a
      // server shutting down or starting, or a cut connection does. Seen: a 1-second connect on a machine at load
      // 34 turned the web app's answers into 503s for a moment.
      if (!isTimeout(e)) this.set(false);
      this.retry();
    }
  }

  private retry() {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.opts.probeMs ?? 250);
    this.timer.unref();
  }
}
