import type { Tx } from "../db";
import { walletOf } from "../ledger";
import { referralDiscountFor } from "../referrals";
import { periodBoundary } from "./calendar";
import { currentVersion, priceOf, regionRules } from "./catalog";
import { planDeduction } from "./deduction";
import { applyDiscounts, firstOrderDiscounts } from "./discount";
import { paidSubscriptionsOf } from "./paid-history";
import { BillingError } from "./errors";
import { planSaleLines, type InvoiceDraft } from "./invoice-draft";
import { classifyChange } from "./plan-change";
import { quoteUpgrade } from "./proration";
import type { Catalog, Cycle, RegionId, Tier } from "./types";

type Subscription = {
  id: string;
  userId: string;
  tier: Tier;
  cycle: Cycle;
  region: RegionId;
  currency: string;
  status: string;
  periodStart: Date;
  periodEnd: Date;
  periodPaidMinor: bigint;
};

/** SUB-1: a new subscription on the tier's current version, first-order discount included. */
export async function draftSubscribe(
  tx: Tx,
  catalog: Catalog,
  input: {
    userId: string;
    region: RegionId;
    tier: Tier;
    cycle: Cycle;
    idempotencyKey: string;
    now: Date;
    lock: boolean;
  },
): Promise<InvoiceDraft> {
  const region = regionRules(catalog, input.region);
  const version = currentVersion(catalog, input.tier);
  const priceMinor = priceOf(version, input.cycle, region.currency);
  const first = (await paidSubscriptionsOf(tx, input.userId)) === 0;
  // REF-3: the referral discount comes after the first-order one, on what is left (100 → 50 → 45).
  const referral = first ? await referralDiscountFor(tx, input.userId, input.now) : [];
  const { totalMinor, lines: discounts } = applyDiscounts(priceMinor, [
    ...firstOrderDiscounts(first, region.firstOrderDiscountBps),
    ...referral,
  ]);
  const wallet = await walletOf(tx, input.userId, region.currency, { lock: input.lock });
  const deduction = planDeduction({ amountMinor: totalMinor, ...wallet, cardMinimumMinor: region.cardMinimumMinor });
  return {
    kind: "subscribe",
    idempotencyKey: input.idempotencyKey,
    userId: input.userId,
    subscriptionId: null,
    currency: region.currency,
    tier: input.tier,
    cycle: input.cycle,
    planVersionId: version.id,
    periodStart: input.now,
    periodEnd: periodBoundary(input.now, input.cycle, 1, region.timeZone),
    totalMinor,
    deduction,
    lines: planSaleLines({ priceMinor, discounts, deduction }),
  };
}

type Replacement = { tier: Tier; cycle: Cycle; now: Date; lock: boolean; idempotencyKey: string };

/** SUB-4: a higher tier at once, its price less the old period's unused value. */
export async function draftUpgrade(
  tx: Tx,
  catalog: Catalog,
  sub: Subscription,
  input: Replacement,
): Promise<InvoiceDraft> {
  const kind = classifyChange(sub, input);
  if (kind === "none") throw new BillingError("same_plan");
  if (kind !== "upgrade") throw new BillingError("not_an_upgrade");
  return draftReplacement(tx, catalog, sub, input);
}

/**
 * SUB-4/SUB-6: any plan now (higher, same or lower tier, any cycle) in place of
 * the current one: the new price less the old period's unused value, any
 * excess to the cash balance. The invoice is of kind "upgrade" whatever the
 * tiers, since paying it does the same thing: the old plan is voided and the
 * new cycle starts now (subscription-effects.ts).
 */
export async function draftReplacement(
  tx: Tx,
  catalog: Catalog,
  sub: Subscription,
  input: Replacement,
): Promise<InvoiceDraft> {
  if (sub.status !== "active") throw new BillingError("no_subscription");
  // The period has ended and the renewal job has not run yet: a moment's wait, not a missing plan.
  if (input.now.getTime() >= sub.periodEnd.getTime()) throw new BillingError("renewal_pending");
  const region = regionRules(catalog, sub.region);
  const version = currentVersion(catalog, input.tier);
  const newPriceMinor = priceOf(version, input.cycle, sub.currency);
  const quote = quoteUpgrade({
    paidMinor: sub.periodPaidMinor,
    periodStart: sub.periodStart,
    periodEnd: sub.periodEnd,
    newPriceMinor,
    now: input.now,
  });
  const wallet = await walletOf(tx, sub.userId, sub.currency, { lock: input.lock });
  const deduction = planDeduction({
    amountMinor: quote.chargeMinor,
    ...wallet,
    cardMinimumMinor: region.cardMinimumMinor,
  });
  return {
    kind: "upgrade",
    idempotencyKey: input.idempotencyKey,
    userId: sub.userId,
    subscriptionId: sub.id,
    currency: sub.currency,
    tier: input.tier,
    cycle: input.cycle,
    planVersionId: version.id,
    periodStart: input.now,
    periodEnd: periodBoundary(input.now, input.cycle, 1, region.timeZone),
    totalMinor: quote.chargeMinor,
    deduction,
    lines: planSaleLines({
      priceMinor: newPriceMinor,
      discounts: [],
      unusedMinor: quote.unusedMinor,
      excessUnusedMinor: quote.excessToCashMinor,
      deduction,
    }),
  };
}
