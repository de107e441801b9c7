import type { Db, Tx } from "../db";
import { readCatalogFile } from "./catalog-file";
import type { Catalog, PlanVersion, RegionId, RegionRules } from "./types";

/** The catalog as the pure core sees it: regions and versions from the database, stock rules from the file. */
export async function loadCatalog(database: Db | Tx): Promise<Catalog> {
  const [regionRows, versionRows] = await Promise.all([
    database.billingRegion.findMany(),
    database.planVersion.findMany({ include: { prices: true }, orderBy: [{ tier: "asc" }, { version: "asc" }] }),
  ]);
  const regions = Object.fromEntries(
    regionRows.map((r): [RegionId, RegionRules] => [
      r.region,
      {
        region: r.region,
        currency: r.currency,
        timeZone: r.timeZone,
        cancelCutoffSeconds: r.cancelCutoffSeconds,
        cardMinimumMinor: r.cardMinimumMinor,
        firstOrderDiscountBps: r.firstOrderDiscountBps,
      },
    ]),
  ) as Record<RegionId, RegionRules>;
  if (!regions.intl || !regions.cn) throw new Error("billing catalog is not synced: start the app with `npm start`");
  const versions = versionRows.map((v): PlanVersion => {
    const prices: PlanVersion["prices"] = {};
    for (const p of v.prices) (prices[p.currency] ??= {})[p.cycle] = p.amountMinor;
    return {
      id: v.id,
      tier: v.tier,
      version: v.version,
      current: v.current,
      prompts5h: v.prompts5h,
      weeklyPrompts: v.weeklyPrompts,
      mcpMonthly: v.mcpMonthly,
      concurrency: v.concurrency,
      prices,
    };
  });
  return { regions, versions, stock: stockRules() };
}

// The file is read once per process, like the rest of the catalog (synced at start): a change needs a restart.
let stockCache: Catalog["stock"] | undefined;
export function stockRules(): Catalog["stock"] {
  if (!stockCache) {
    const stock = readCatalogFile().stock;
    const [releaseHour, releaseMinute] = stock.releaseTime.split(":").map(Number);
    stockCache = { dailyPerTier: stock.dailyPerTier, releaseHour, releaseMinute, timeZone: stock.timeZone };
  }
  return stockCache;
}
