import type { Db, Tx } from "../db";
import { BillingError } from "./errors";
import { stockDay } from "./stock-day";
import type { StockRules, Tier } from "./types";
import { TIERS } from "./types";

/**
 * SUB-8: takes one unit of today's stock for a new subscription. The row is
 * created on first sale of the day with the configured count; the decrement is
 * one conditional UPDATE, so two buyers of the last unit cannot both get it
 * (the second waits on the row lock and then finds nothing left).
 */
export async function takeStockUnit(tx: Tx, tier: Tier, now: Date, rules: StockRules) {
  const { dayStart, nextRelease } = stockDay(now, rules);
  await tx.$executeRaw`INSERT INTO "stock_days" ("tier", "day_start", "capacity", "sold")
    VALUES (${tier}::"Tier", ${dayStart}, ${rules.dailyPerTier}, 0) ON CONFLICT DO NOTHING`;
  const taken = await tx.$executeRaw`UPDATE "stock_days" SET "sold" = "sold" + 1
    WHERE "tier" = ${tier}::"Tier" AND "day_start" = ${dayStart} AND "sold" < "capacity"`;
  if (taken === 0) throw new BillingError("sold_out", { nextRelease: nextRelease.toISOString() });
}

/** Gives back a unit taken for a purchase that was never paid, on the stock day it was taken from. */
export async function releaseStockUnit(tx: Tx, tier: Tier, takenAt: Date, rules: StockRules) {
  const { dayStart } = stockDay(takenAt, rules);
  await tx.$executeRaw`UPDATE "stock_days" SET "sold" = "sold" - 1 WHERE "tier" = ${tier}::"Tier" AND "day_start" = ${dayStart} AND "sold" > 0`;
}

export type StockStatus = { tier: Tier; capacity: number; sold: number; remaining: number };

/** Today's stock per tier, for the pricing page (sold-out shows before payment). */
export async function stockStatus(database: Db | Tx, now: Date, rules: StockRules) {
  const { dayStart, nextRelease } = stockDay(now, rules);
  const rows = await database.stockDay.findMany({ where: { dayStart } });
  const tiers: StockStatus[] = TIERS.map((tier) => {
    const row = rows.find((r) => r.tier === tier);
    const capacity = row?.capacity ?? rules.dailyPerTier;
    const sold = row?.sold ?? 0;
    return { tier, capacity, sold, remaining: Math.max(0, capacity - sold) };
  });
  return { dayStart, nextRelease, tiers };
}
