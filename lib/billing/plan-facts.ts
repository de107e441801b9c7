import { Temporal } from "temporal-polyfill";
import type { ModelRules } from "../quota/models";
import { CYCLES, type Cycle, type Tier } from "./types";

const MONTHS: Record<Cycle, number> = { monthly: 1, quarterly: 3, yearly: 12 };

/**
 * What a longer cycle saves against paying monthly for as long, in basis
 * points, rounded down (never promise more than the price gives). Example:
 * USD 6.00 monthly, 162.00 for a quarter of Pro at 30.00 → 90.00 vs 81.00 → 10 %.
 */
export function cycleSavingsBps(prices: Record<Cycle, bigint>): Record<Cycle, number> {
  const monthly = prices.monthly;
  return Object.fromEntries(
    CYCLES.map((c) => {
      const full = monthly * BigInt(MONTHS[c]);
      return [c, full <= 0n || prices[c] >= full ? 0 : Number(((full - prices[c]) * 10_000n) / full)];
    }),
  ) as Record<Cycle, number>;
}

/**
 * QUOTA-6's peak window on the business day that `now` falls in (in the
 * catalog's zone), as instants: the screen formats them in the viewer's zone.
 */
export function peakWindow(rules: ModelRules, now: Date): { from: Date; to: Date; timeZone: string } {
  const zone = rules.peak.timeZone;
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDate();
  const at = (hhmm: string) => {
    const [hour, minute] = hhmm.split(":").map(Number);
    return new Date(
      today.toZonedDateTime({ timeZone: zone, plainTime: new Temporal.PlainTime(hour, minute) }).epochMilliseconds,
    );
  };
  return { from: at(rules.peak.from), to: at(rules.peak.to), timeZone: zone };
}

/** QUOTA-5/6: the models a tier may call, with what one prompt costs at peak and off-peak. */
export function tierModels(rules: ModelRules, tier: Tier) {
  return rules.list
    .filter((m) => m.tiers.includes(tier))
    .map((m) => ({ id: m.id, name: m.name, peakCost: m.peakCost, offPeakCost: m.offPeakCost }));
}
