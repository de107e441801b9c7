import { db, type Db } from "../db";
import { poolOf } from "../db/client";
import type { QuotaContext } from "./consume";
import { ConsumeBatcher } from "./batcher";
import { modelRules } from "./models";
import { SubjectCache } from "./subject-cache";

// On globalThis: Next bundles routes separately, and each bundle would otherwise keep its own cache and listener.
const contexts: WeakMap<Db, QuotaContext> = ((globalThis as unknown as { codeplanQuota?: WeakMap<Db, QuotaContext> }).codeplanQuota ??= new WeakMap());

/**
 * The decision path's context for a database client: its pool, one subject
 * cache listening for changes, and the model rules. One per client, so the
 * app and each test database keep their own cache.
 */
export function quotaContextFor(database: Db, databaseUrl: string | null): QuotaContext {
  let ctx = contexts.get(database);
  if (!ctx) {
    const pool = poolOf(database);
    // Half the pool runs decision batches (one per lane); the rest stays free for reads, slots and reports.
    const lanes = Math.max(1, Math.floor(((pool.options.max as number | undefined) ?? 10) / 2));
    ctx = { pool, cache: new SubjectCache(pool, databaseUrl), rules: modelRules(), batcher: new ConsumeBatcher(pool, lanes) };
    contexts.set(database, ctx);
  }
  return ctx;
}

/** The running app's context. */
export function quotaContext(): QuotaContext {
  return quotaContextFor(db(), process.env.DATABASE_URL ?? null);
}
