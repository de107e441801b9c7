import { currentVersion, priceOf, regionRules, versionById } from "./catalog";
import { periodBoundary } from "./calendar";
import type { Catalog, SubscriptionState } from "./types";

/**
 * The next period of a subscription at its renewal (SUB-1, SUB-5, PLAN-2).
 * A scheduled change applies here, so the renewal invoice is already for the
 * new tier or cycle. Without a tier change the subscriber keeps their plan
 * version (grandfathering); a new tier is sold on its current version.
 * A tier change on the same cycle keeps the anchor, so the renewal day does
 * not drift (SUB-1); a cycle change starts a new anchor at the old period's end.
 */
export function nextPeriod(state: SubscriptionState, catalog: Catalog) {
  const { timeZone } = regionRules(catalog, state.region);
  const tier = state.scheduledTier ?? state.tier;
  const cycle = state.scheduledCycle ?? state.cycle;
  const version = tier === state.tier ? versionById(catalog, state.planVersionId) : currentVersion(catalog, tier);
  const newAnchor = cycle !== state.cycle;
  const cycleAnchor = newAnchor ? state.periodEnd : state.cycleAnchor;
  const periodIndex = newAnchor ? 1 : state.periodIndex + 1;
  return {
    tier,
    cycle,
    planVersionId: version.id,
    cycleAnchor,
    periodIndex,
    periodStart: state.periodEnd,
    periodEnd: periodBoundary(cycleAnchor, cycle, periodIndex, timeZone),
    priceMinor: priceOf(version, cycle, state.currency),
  };
}
