import { recordAudit } from "../audit/record";
import type { Tx } from "../db";
import { walletOf } from "../ledger";
import { loadCatalog } from "./catalog-load";
import { regionRules } from "./catalog";
import { payInvoiceCard } from "./checkout";
import { planDeduction } from "./deduction";
import { lockUser, TX_OPTIONS, type BillingDeps } from "./deps";
import { planSaleLines } from "./invoice-draft";
import { issueInvoice } from "./invoice-store";
import { settleInvoice } from "./invoice-settle";
import { nextPeriod } from "./renewal";
import type { Catalog } from "./types";

export type RenewalOutcome = "renewed" | "expired" | "lapsed" | "not_due" | "requires_action";

/**
 * SUB-2: renew one due subscription. The invoice key is
 * `renewal:<subscription>:<period end>`, and the card charge reuses it, so a
 * worker killed anywhere in here and run again finds the same invoice and asks
 * the processor for the same charge: one renewal, never two charges.
 * A subscription cancelled in time (SUB-3) expires instead. With no way to
 * pay the rest, the renewal lapses (dunning arrives with the payments issue).
 */
export async function renewSubscription(deps: BillingDeps, subscriptionId: string, catalog?: Catalog): Promise<RenewalOutcome> {
  const cat = catalog ?? (await loadCatalog(deps.db));
  const sub0 = await deps.db.subscription.findUnique({ where: { id: subscriptionId }, select: { userId: true } });
  if (!sub0) return "not_due";
  const canCharge = await deps.port.canCharge(sub0.userId);
  type Step = { outcome: RenewalOutcome } | { invoice: { id: string; status: string; cardMinor: bigint; periodStart: Date | null } };
  const step = await deps.db.$transaction(async (tx): Promise<Step> => {
    await lockUser(tx, sub0.userId).catch((e) => (e?.code === "account_banned" ? null : Promise.reject(e)));
    const sub = await tx.subscription.findUniqueOrThrow({ where: { id: subscriptionId } });
    if (sub.status !== "active" || sub.periodEnd.getTime() > deps.now.getTime()) return { outcome: "not_due" as const };
    const idempotencyKey = `renewal:${sub.id}:${sub.periodEnd.toISOString()}`;
    const existing = await tx.invoice.findUnique({ where: { idempotencyKey } });
    if (existing) return { invoice: existing };
    if (!sub.autoRenew) return { outcome: await expire(tx, sub.id, sub.periodEnd, deps.now, "subscription.expire") };
    const next = nextPeriod(sub, cat);
    const region = regionRules(cat, sub.region);
    const wallet = await walletOf(tx, sub.userId, sub.currency, { lock: true });
    const deduction = planDeduction({ amountMinor: next.priceMinor, ...wallet, cardMinimumMinor: region.cardMinimumMinor });
    if (deduction.cardMinor > 0n && !canCharge) return { outcome: await expire(tx, sub.id, sub.periodEnd, deps.now, "subscription.lapse") };
    const { invoice } = await issueInvoice(
      tx,
      {
        kind: "renewal",
        idempotencyKey,
        userId: sub.userId,
        subscriptionId: sub.id,
        currency: sub.currency,
        tier: next.tier,
        cycle: next.cycle,
        planVersionId: next.planVersionId,
        periodStart: next.periodStart,
        periodEnd: next.periodEnd,
        totalMinor: next.priceMinor,
        deduction,
        lines: planSaleLines({ priceMinor: next.priceMinor, discounts: [], deduction }),
      },
      deps.now,
    );
    if (invoice.cardMinor === 0n) return { invoice: await settleInvoice(tx, invoice.id, deps.now) };
    return { invoice };
  }, TX_OPTIONS);
  if ("outcome" in step) return step.outcome;
  if (step.invoice.status === "paid") return "renewed";
  if (step.invoice.status === "void") return "lapsed";
  const paid = await payInvoiceCard(deps, step.invoice.id, "off_session");
  if (paid.status === "paid") return "renewed";
  if (paid.status === "requires_action") return "requires_action";
  await deps.db.$transaction((tx) => expire(tx, subscriptionId, step.invoice.periodStart ?? deps.now, deps.now, "subscription.lapse"), TX_OPTIONS);
  return "lapsed";
}

async function expire(tx: Tx, id: string, endedAt: Date, now: Date, action: string) {
  await tx.subscription.update({ where: { id }, data: { status: "expired", endedAt, scheduledTier: null, scheduledCycle: null, updatedAt: now } });
  await recordAudit(tx, { actorId: null, action, subjectType: "subscription", subjectId: id, after: { endedAt: endedAt.toISOString() }, at: now });
  return (action === "subscription.expire" ? "expired" : "lapsed") as "expired" | "lapsed";
}

/** Subscriptions whose period has ended: each needs a renewal or an expiry. */
export async function dueSubscriptionIds(deps: Pick<BillingDeps, "db" | "now">, limit = 1000): Promise<string[]> {
  const rows = await deps.db.subscription.findMany({
    where: { status: "active", periodEnd: { lte: deps.now } },
    select: { id: true },
    orderBy: { periodEnd: "asc" },
    take: limit,
  });
  return rows.map((r) => r.id);
}
