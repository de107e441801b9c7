import type { Db } from "../db";
import { cancellationWindow } from "./cancellation-window";
import { currentVersion, priceOf, regionRules, versionById } from "./catalog";
import { loadCatalog } from "./catalog-load";
import { liveSubscription } from "./deps";
import { classifyChange } from "./plan-change";
import { stockStatus } from "./stock";
import { modelRules } from "../quota/models";
import { referralRules } from "../referrals/config";
import { cycleSavingsBps, peakWindow, tierModels } from "./plan-facts";
import { CYCLES, TIERS, type Cycle, type RegionId } from "./types";

/** The pricing page: current versions' prices in the region's currency, quotas and today's stock. */
export async function pricingView(database: Db, region: RegionId, now: Date) {
  const catalog = await loadCatalog(database);
  const rules = regionRules(catalog, region);
  const stock = await stockStatus(database, now, catalog.stock);
  const models = modelRules();
  const plans = TIERS.map((tier) => {
    const v = currentVersion(catalog, tier);
    const savings = cycleSavingsBps(
      Object.fromEntries(CYCLES.map((c) => [c, priceOf(v, c, rules.currency)])) as Record<Cycle, bigint>,
    );
    return {
      tier,
      quotas: {
        prompts5h: v.prompts5h,
        weeklyPrompts: v.weeklyPrompts,
        mcpMonthly: v.mcpMonthly,
        concurrency: v.concurrency,
      },
      prices: CYCLES.map((cycle) => ({
        cycle,
        amountMinor: priceOf(v, cycle, rules.currency),
        savingBps: savings[cycle],
      })),
      models: tierModels(models, tier),
      stock: stock.tiers.find((s) => s.tier === tier)!,
    };
  });
  return {
    currency: rules.currency,
    firstOrderDiscountBps: rules.firstOrderDiscountBps,
    referralDiscountBps: referralRules().discountBps,
    peak: peakWindow(models, now),
    nextRelease: stock.nextRelease,
    plans,
  };
}

/** The subscription page: the plan, its dates, what cancelling allows, and every change on offer. */
export async function subscriptionView(database: Db, userId: string, now: Date) {
  const sub = await liveSubscription(database, userId);
  if (!sub) return null;
  const catalog = await loadCatalog(database);
  const version = versionById(catalog, sub.planVersionId);
  const cancel = cancellationWindow(sub.periodEnd, regionRules(catalog, sub.region).cancelCutoffSeconds, now);
  const options = TIERS.flatMap((tier) =>
    CYCLES.map((cycle) => ({
      tier,
      cycle,
      kind: classifyChange(sub, { tier, cycle }),
      priceMinor: priceOf(tier === sub.tier ? version : currentVersion(catalog, tier), cycle, sub.currency),
    })),
  ).filter((o) => o.kind !== "none");
  return {
    id: sub.id,
    tier: sub.tier,
    cycle: sub.cycle,
    status: sub.status,
    currency: sub.currency,
    autoRenew: sub.autoRenew,
    orderedAt: sub.orderedAt,
    periodStart: sub.periodStart,
    periodEnd: sub.periodEnd,
    version: {
      number: version.version,
      current: version.current,
      prompts5h: version.prompts5h,
      weeklyPrompts: version.weeklyPrompts,
      mcpMonthly: version.mcpMonthly,
    },
    renewalPriceMinor: priceOf(version, sub.cycle, sub.currency),
    scheduled: sub.scheduledTier && sub.scheduledCycle ? { tier: sub.scheduledTier, cycle: sub.scheduledCycle } : null,
    cancel,
    options,
  };
}
