import { env } from "../config/env";
import { db, type Db } from "../db";
import { poolOf } from "../db/client";
import type { QuotaContext } from "./consume";
import { AdmitBatcher } from "./admit";
import { ConsumeBatcher } from "./batcher";
import { ReportBatcher, SlotBatcher } from "./call-batchers";
import { ContinuationBatcher } from "./tool-loops";
import { modelRules } from "./models";
import { SubjectCache } from "./subject-cache";

const CONSUME_LANES = 2;
// The calls of a model call (its admission, then its usage report), one lane each: a process then has at most one
// of each in flight, so two Postgres backends at most work for its gateway, and the calls that arrive meanwhile go in
// the next, bigger batch. With two lanes each, four backends took turns on two cores for smaller batches: Postgres
// CPU per call 0.28–0.30 ms against 0.21–0.25 with one, 2,252–2,372 calls/s against 2,181–2,654 (2,492 or more in
// three runs of four; tests/bench/gateway.ts, README "Measured"). What one lane gives up: a batch
// waiting on a subscription's lock held by another process holds back this process's next batch, for as long as
// that one statement holds it.
const CALL_LANES = 1;

// On globalThis: Next bundles routes separately, and each bundle would otherwise keep its own cache and listener.
const contexts: WeakMap<Db, QuotaContext> = ((
  globalThis as unknown as { codeplanQuota?: WeakMap<Db, QuotaContext> }
).codeplanQuota ??= new WeakMap());

/**
 * The decision path's context for a database client: its pool, one subject
 * cache listening for changes, and the model rules. One per client, so the
 * app and each test database keep their own cache.
 */
export function quotaContextFor(database: Db, databaseUrl: string | null): QuotaContext {
  let ctx = contexts.get(database);
  if (!ctx) {
    const pool = poolOf(database);
    // Two lanes for the decision API's batches: each is one quota_consume call (one round trip and one commit for
    // the decisions that arrived together), so few and big batches win (README, "Measured": lane counts). Two rather
    // than one, so a batch waiting on a lock held by another process does not stop every decision here. The rest of
    // the pool stays free for reads, slots and the gateway's calls (CALL_LANES).
    const lanes = Math.max(
      1,
      Math.min(CONSUME_LANES, Math.floor(((pool.options.max as number | undefined) ?? 10) / 2)),
    );
    const toolLoopMs = env().TOOL_LOOP_MINUTES * 60_000;
    ctx = {
      pool,
      cache: new SubjectCache(pool, databaseUrl),
      rules: modelRules(),
      batcher: new ConsumeBatcher(pool, lanes),
      slots: new SlotBatcher(pool, lanes),
      reports: new ReportBatcher(pool, CALL_LANES),
      continuations: new ContinuationBatcher(pool, lanes),
      admissions: new AdmitBatcher(pool, CALL_LANES),
      toolLoopMs,
    };
    contexts.set(database, ctx);
  }
  return ctx;
}

/** The running app's context. */
export function quotaContext(): QuotaContext {
  return quotaContextFor(db(), process.env.DATABASE_URL ?? null);
}
