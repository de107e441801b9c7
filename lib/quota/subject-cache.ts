import pg from "pg";
import { loadKey, loadPlan, type KeySubject, type PlanSubject } from "./subjects";

/**
 * DESIGN.md "hot path": keys and subscriptions are cached in the process and
 * dropped the moment they change, on Postgres NOTIFY "quota_cache" (triggers
 * on api_keys and subscriptions), so a revoked key stops at once on every
 * instance. Entries also expire after a minute, and the whole cache is dropped
 * while the listener is down: a missed notification can never keep a stale
 * entry for long. quota_consume checks revocation and the subscription's row
 * version again under its lock, so the cache only saves round trips.
 */

const TTL_MS = 60_000;

type Entry<T> = { value: T; until: number };

export class SubjectCache {
  private keys = new Map<string, Entry<KeySubject | null>>();
  private plans = new Map<string, Entry<PlanSubject | null>>();
  private listener: pg.Client | null = null;
  private listening: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly databaseUrl: string | null,
  ) {}

  async key(hash: string): Promise<KeySubject | null> {
    this.listen();
    const hit = this.fresh(this.keys.get(hash));
    if (hit !== undefined) return hit;
    const value = await loadKey(this.pool, hash);
    // Unknown keys are not cached: a flood of made-up keys must not fill memory.
    if (value) this.keys.set(hash, { value, until: Date.now() + TTL_MS });
    return value;
  }

  async plan(userId: string): Promise<PlanSubject | null> {
    this.listen();
    const hit = this.fresh(this.plans.get(userId));
    if (hit !== undefined) return hit;
    const value = await loadPlan(this.pool, userId);
    this.plans.set(userId, { value, until: Date.now() + TTL_MS });
    return value;
  }

  /** Whether change notifications are arriving (the cache is only trusted while they are). */
  connected(): boolean {
    return this.listener !== null;
  }

  forgetPlan(userId: string) {
    this.plans.delete(userId);
  }

  forgetKey(hash: string) {
    this.keys.delete(hash);
  }

  clear() {
    this.keys.clear();
    this.plans.clear();
  }

  private fresh<T>(entry: Entry<T> | undefined): T | undefined {
    if (!entry) return undefined;
    // Without a listener nothing tells us about changes: do not trust the cache at all.
    if (!this.listener || entry.until < Date.now()) return undefined;
    return entry.value;
  }

  private listen() {
    if (this.listening || this.stopped || !this.databaseUrl) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    const retry = () => {
      this.listener = null;
      this.clear();
      void client.end().catch(() => {});
      if (!this.stopped) setTimeout(() => ((this.listening = null), this.listen()), 1000).unref();
    };
    client.on("notification", (n) => {
      const payload = n.payload ?? "";
      if (payload.startsWith("key:")) this.forgetKey(payload.slice(4));
      else if (payload.startsWith("user:")) this.forgetPlan(payload.slice(5));
    });
    client.on("error", retry);
    this.listening = client
      .connect()
      .then(() => client.query('LISTEN "quota_cache"'))
      .then(() => {
        this.listener = client;
        // The connection must not keep a finishing process (a test, a script) alive.
        (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      })
      .catch(retry);
  }

  async stop() {
    this.stopped = true;
    await this.listening?.catch(() => {});
    await this.listener?.end().catch(() => {});
    this.listener = null;
  }
}
