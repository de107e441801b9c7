import type pg from "pg";
import { db, type Db } from "../db";
import { poolOf } from "../db/client";
import { LaneBatcher } from "../db/lane-batcher";
import { readCatalogFile } from "../billing/catalog-file";
import { quotaContextFor } from "../quota/context";
import type { SubjectCache } from "../quota/subject-cache";
import { PriceList } from "./price-list";
import { reserveHolds, type ReserveItem } from "./reserve";
import { settleCalls, type SettleItem, type Settlement } from "./settle";

/** The pay-as-you-go call path's context for a database client (one per client, like the quota context). */
export type PaygContext = {
  db: Db;
  pool: pg.Pool;
  /** The quota path's key cache: a revoked key stops here at once too. */
  cache: SubjectCache;
  prices: PriceList;
  settler: LaneBatcher<SettleItem, Settlement>;
  reserver: LaneBatcher<ReserveItem, string>;
  currencyOf: (userId: string) => Promise<string | null>;
  defaultMaxOutputTokens: number;
  holdMs: number;
};

const contexts: WeakMap<Db, PaygContext> = ((
  globalThis as unknown as { codeplanPayg?: WeakMap<Db, PaygContext> }
).codeplanPayg ??= new WeakMap());

export function paygContextFor(database: Db, databaseUrl: string | null): PaygContext {
  let ctx = contexts.get(database);
  if (!ctx) {
    const quota = quotaContextFor(database, databaseUrl);
    const pool = poolOf(database);
    const { api } = readCatalogFile();
    // Two lanes: bigger batches, fewer round trips per call; more lanes did worse (README, "Measured": lane counts).
    const lanes = 2;
    ctx = {
      db: database,
      pool,
      cache: quota.cache,
      prices: new PriceList(pool),
      // Settlements go many to a transaction, one lane per user (LaneBatcher), on a
      // plain pg connection: Prisma's cost per statement was the limit here.
      settler: new LaneBatcher(
        lanes,
        (i) => i.userId,
        (items) => settleCalls(pool, items),
      ),
      // Holds that arrive together go in one statement and one commit too.
      reserver: new LaneBatcher(
        lanes,
        (i) => i.userId,
        (items) => reserveHolds(pool, items),
      ),
      currencyOf: currencyCache(pool),
      defaultMaxOutputTokens: api.defaultMaxOutputTokens,
      holdMs: api.holdMinutes * 60_000,
    };
    contexts.set(database, ctx);
  }
  return ctx;
}

export function paygContext(): PaygContext {
  return paygContextFor(db(), process.env.DATABASE_URL ?? null);
}

/** A user's billing currency (their region's), kept a minute: it only changes with the region, which has no balances to move. */
function currencyCache(pool: pg.Pool) {
  const seen = new Map<string, { currency: string; until: number }>();
  return async (userId: string) => {
    const hit = seen.get(userId);
    if (hit && hit.until > Date.now()) return hit.currency;
    const { rows } = await pool.query<{ currency: string }>({
      name: "payg_currency",
      text: 'SELECT r."currency" FROM "users" u JOIN "billing_regions" r ON r."region" = u."region" WHERE u."id" = $1',
      values: [userId],
    });
    if (!rows[0]) return null;
    if (seen.size > 100_000) seen.clear();
    seen.set(userId, { currency: rows[0].currency, until: Date.now() + 60_000 });
    return rows[0].currency;
  };
}
