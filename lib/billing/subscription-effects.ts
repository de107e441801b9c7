import type { Tx } from "../db";
import { jsonRows } from "../db/json-rows";
import { notify } from "../notices/notify";
import { referralOnPaid } from "../referrals";
import { periodValue } from "./invoice-draft";

type PaidInvoice = {
  id: string;
  kind: "subscribe" | "renewal" | "upgrade" | "top_up" | "pack";
  userId: string;
  subscriptionId: string | null;
  currency: string;
  totalMinor: bigint;
  tier: "lite" | "pro" | "max" | null;
  cycle: "monthly" | "quarterly" | "yearly" | null;
  planVersionId: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  lines: { kind: string; amountMinor: bigint }[];
};

function sold(invoice: PaidInvoice) {
  const { tier, cycle, planVersionId, periodStart, periodEnd } = invoice;
  if (!tier || !cycle || !planVersionId || !periodStart || !periodEnd)
    throw new Error(`invoice ${invoice.id} lacks what it sells`);
  return { tier, cycle, planVersionId, periodStart, periodEnd };
}

/**
 * What paid invoices buy, applied to subscriptions. Everything needed is on
 * the invoice, so a payment confirmed later (a webhook) applies the same way
 * as one paid on the spot.
 * - subscribe: the subscription starts now (SUB-1);
 * - upgrade: the old plan is voided, the new cycle starts now (SUB-4, SUB-6);
 * - renewal: the next period, with any scheduled change (SUB-5). On the same
 *   cycle it keeps the anchor, as nextPeriod does (SUB-1).
 * Plan changes go to the database as one UPDATE however many there are.
 */
export async function applyPaidInvoices(tx: Tx, invoices: PaidInvoice[], now: Date) {
  for (const inv of invoices.filter((i) => i.kind === "subscribe")) await startSubscription(tx, inv, now);
  // REF-2..5: a friend's first paid order starts the inviter's reward review.
  await referralOnPaid(tx, invoices, now);
  const changes = invoices.filter((i) => i.kind === "upgrade" || i.kind === "renewal");
  if (changes.length === 0) return;
  const subs = new Map(
    (await tx.subscription.findMany({ where: { id: { in: changes.map((i) => i.subscriptionId!) } } })).map((s) => [
      s.id,
      s,
    ]),
  );
  const rows = changes.map((inv) => {
    const sub = subs.get(inv.subscriptionId!);
    if (!sub) throw new Error(`invoice ${inv.id} has no subscription`);
    const s = sold(inv);
    const continues = inv.kind === "renewal" && sub.cycle === s.cycle;
    return {
      id: sub.id,
      tier: s.tier,
      cycle: s.cycle,
      plan_version_id: s.planVersionId,
      cycle_anchor: continues ? sub.cycleAnchor : s.periodStart,
      period_index: continues ? sub.periodIndex + 1 : 1,
      period_start: s.periodStart,
      period_end: s.periodEnd,
      paid: periodValue(inv.lines),
      // An upgrade is a new purchase: auto-renewal comes back on.
      renew_on: inv.kind === "upgrade",
    };
  });
  await tx.$executeRaw`UPDATE "subscriptions" s SET
      "tier" = x.tier::"Tier", "cycle" = x.cycle::"BillingCycle", "plan_version_id" = x.plan_version_id, "status" = 'active',
      "cycle_anchor" = x.cycle_anchor, "period_index" = x.period_index, "period_start" = x.period_start, "period_end" = x.period_end,
      "period_paid_minor" = x.paid, "scheduled_tier" = NULL, "scheduled_cycle" = NULL,
      "auto_renew" = s."auto_renew" OR x.renew_on, "canceled_at" = CASE WHEN x.renew_on THEN NULL ELSE s."canceled_at" END,
      "updated_at" = ${now}
    FROM jsonb_to_recordset(${jsonRows(rows)}::jsonb) AS x(id uuid, tier text, cycle text, plan_version_id uuid, cycle_anchor timestamptz,
      period_index int, period_start timestamptz, period_end timestamptz, paid bigint, renew_on boolean)
    WHERE s."id" = x.id`;
  // A past-due subscription paid at last is back (SUB-2): say so.
  const restored = changes.filter(
    (inv) => inv.kind === "renewal" && subs.get(inv.subscriptionId!)?.status === "past_due",
  );
  await notify(
    tx,
    restored.map((inv) => ({
      userId: inv.userId,
      kind: "subscription_restored" as const,
      params: { periodEnd: inv.periodEnd!.toISOString() },
      dedupeKey: `restored:${inv.id}`,
    })),
    now,
  );
}

/** SUB-1: the subscription starts at the paid order; its first order time anchors renewals and the weekly quota. */
async function startSubscription(tx: Tx, invoice: PaidInvoice, now: Date) {
  if (invoice.subscriptionId) return;
  const s = sold(invoice);
  const user = await tx.user.findUniqueOrThrow({ where: { id: invoice.userId }, select: { region: true } });
  // The partial unique index refuses a second live subscription here too (SUB-9).
  const sub = await tx.subscription.create({
    data: {
      userId: invoice.userId,
      region: user.region,
      currency: invoice.currency,
      tier: s.tier,
      cycle: s.cycle,
      planVersionId: s.planVersionId,
      status: "active",
      autoRenew: true,
      orderedAt: s.periodStart,
      cycleAnchor: s.periodStart,
      periodIndex: 1,
      periodStart: s.periodStart,
      periodEnd: s.periodEnd,
      periodPaidMinor: periodValue(invoice.lines),
      createdAt: now,
      updatedAt: now,
    },
  });
  await tx.invoice.update({ where: { id: invoice.id }, data: { subscriptionId: sub.id } });
}
