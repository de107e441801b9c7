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
    // Two lanes: each batch is one set-based quota_consume call, whose cost is mostly per call, so
    // few and big batches win (README, "Measured": lane counts). Two rather than one, so a batch waiting on a lock held by
    // another process does not stop every decision here. The rest of the pool stays free for
    // reads, slots and reports.
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
      reports: new ReportBatcher(pool, lanes),
      continuations: new ContinuationBatcher(pool, lanes),
      admissions: new AdmitBatcher(pool, lanes),
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
