import type { Tx } from "../db";
import { periodValue } from "./invoice-draft";

type PaidInvoice = {
  id: string;
  kind: "subscribe" | "renewal" | "upgrade" | "top_up";
  userId: string;
  subscriptionId: string | null;
  currency: string;
  tier: "lite" | "pro" | "max" | null;
  cycle: "monthly" | "quarterly" | "yearly" | null;
  planVersionId: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  lines: { kind: string; amountMinor: bigint }[];
};

/**
 * What a paid invoice buys, applied to the subscription row. Everything needed
 * is on the invoice, so a payment confirmed later (a webhook) applies the same
 * way as one paid on the spot.
 * - subscribe: the subscription starts now (SUB-1);
 * - upgrade: the old plan is voided, the new cycle starts now (SUB-4, SUB-6);
 * - renewal: the next period, with any scheduled change (SUB-5).
 */
export async function applyPaidInvoice(tx: Tx, invoice: PaidInvoice, now: Date) {
  if (invoice.kind === "top_up") return;
  if (invoice.kind === "subscribe") return startSubscription(tx, invoice, now);
  if (!invoice.subscriptionId || !invoice.tier || !invoice.cycle || !invoice.planVersionId || !invoice.periodStart || !invoice.periodEnd)
    throw new Error(`invoice ${invoice.id} lacks what it sells`);
  const sub = await tx.subscription.findUniqueOrThrow({ where: { id: invoice.subscriptionId } });
  // Same logic as nextPeriod: a renewal on the same cycle keeps the anchor (SUB-1).
  const continues = invoice.kind === "renewal" && sub.cycle === invoice.cycle;
  await tx.subscription.update({
    where: { id: sub.id },
    data: {
      tier: invoice.tier,
      cycle: invoice.cycle,
      planVersionId: invoice.planVersionId,
      status: "active",
      cycleAnchor: continues ? sub.cycleAnchor : invoice.periodStart,
      periodIndex: continues ? sub.periodIndex + 1 : 1,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      periodPaidMinor: periodValue(invoice.lines),
      scheduledTier: null,
      scheduledCycle: null,
      ...(invoice.kind === "upgrade" ? { autoRenew: true, canceledAt: null } : {}),
      updatedAt: now,
    },
  });
}

/** SUB-1: the subscription starts at the paid order; its first order time anchors renewals and the weekly quota. */
async function startSubscription(tx: Tx, invoice: PaidInvoice, now: Date) {
  if (invoice.subscriptionId) return;
  if (!invoice.tier || !invoice.cycle || !invoice.planVersionId || !invoice.periodStart || !invoice.periodEnd)
    throw new Error(`invoice ${invoice.id} lacks what it sells`);
  const user = await tx.user.findUniqueOrThrow({ where: { id: invoice.userId }, select: { region: true } });
  // The partial unique index refuses a second live subscription here too (SUB-9).
  const sub = await tx.subscription.create({
    data: {
      userId: invoice.userId,
      region: user.region,
      currency: invoice.currency,
      tier: invoice.tier,
      cycle: invoice.cycle,
      planVersionId: invoice.planVersionId,
      status: "active",
      autoRenew: true,
      orderedAt: invoice.periodStart,
      cycleAnchor: invoice.periodStart,
      periodIndex: 1,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      periodPaidMinor: periodValue(invoice.lines),
      createdAt: now,
      updatedAt: now,
    },
  });
  await tx.invoice.update({ where: { id: invoice.id }, data: { subscriptionId: sub.id } });
}
