import type { Tx } from "../db";
import { referralRules } from "./config";
import { outcomeAtPayment, reviewTimes } from "./conditions";
import { screenReferral } from "./fraud/evaluate";
import { paidSubscriptionsOf } from "../billing/paid-history";
import { cashPaidOf, rewardFor } from "./reward";

type PaidInvoice = {
  id: string;
  userId: string;
  kind: string;
  currency: string;
  totalMinor: bigint;
  lines: { kind: string; amountMinor: bigint }[];
};

/**
 * A friend's first subscription order is paid: judge REF-2's payment-time
 * conditions, compute REF-4's reward, and start REF-5's review. Runs inside
 * the transaction that marks the invoice paid, which claims each invoice once,
 * and the referral's unique invoice id makes a second claim impossible anyway.
 */
export async function referralOnPaid(tx: Tx, invoices: PaidInvoice[], now: Date) {
  const rules = referralRules();
  const orders = invoices.filter((i) => i.kind === "subscribe");
  if (orders.length === 0) return;
  // One query for a whole batch of paid invoices (webhooks settle them in batches); most buyers were not invited.
  const invited = new Map(
    (await tx.referral.findMany({ where: { friendId: { in: orders.map((o) => o.userId) }, state: "signed_up" } })).map(
      (r) => [r.friendId, r],
    ),
  );
  for (const inv of orders) {
    const referral = invited.get(inv.userId);
    if (!referral) continue;
    const cashPaidMinor = cashPaidOf(inv.totalMinor, inv.lines);
    const rewardMinor = rewardFor(cashPaidMinor, 0n, rules.rewardBps);
    const reason = outcomeAtPayment({
      visitAt: referral.visitedAt,
      paidAt: now,
      paidSubscriptionsBefore: await paidSubscriptionsOf(tx, inv.userId, inv.id),
      attributionHours: rules.attributionHours,
      rewardMinor,
    });
    const { reviewAt, issueBy } = reviewTimes(now, rules);
    const moved = await tx.referral.updateMany({
      where: { id: referral.id, state: "signed_up" },
      data: {
        invoiceId: inv.id,
        currency: inv.currency,
        paidAt: now,
        cashPaidMinor,
        rewardMinor,
        state: reason ? "void" : "pending",
        reason,
        ...(!reason && { reviewAt, issueBy }),
        updatedAt: now,
      },
    });
    if (moved.count === 1 && !reason) await screenReferral(tx, referral.id, "payment", now);
  }
}
