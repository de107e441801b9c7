import { recordAudit } from "../audit/record";
import type { Prisma, Tx } from "../db";
import { postMany, system } from "../ledger";
import { notify } from "../notices/notify";
import { referralOnMoneyBack } from "../referrals";
import { TX_OPTIONS, type BillingDeps } from "./deps";
import { endSubscriptions } from "./subscription-end";
import { invoiceLabel } from "./document-number";

export type DisputeReport = {
  providerDisputeId: string;
  providerPaymentId: string;
  amountMinor: bigint;
  currency: string;
  reason: string;
  status: "open" | "won" | "lost";
};

/**
 * `charge.dispute.created` and `charge.dispute.closed`, converging whatever
 * the order (PAY-2). A dispute is open, then won or lost, never back: a
 * report that would move it backwards changes nothing. Opening suspends the
 * subscription the payment bought and raises an admin flag; winning restores
 * the subscription; losing ends it and books the money the bank took back.
 * A close that arrives before its open lands on the same final state.
 */
export async function recordDispute(deps: BillingDeps, report: DisputeReport) {
  return deps.db.$transaction(async (tx) => {
    const payment = await tx.payment.findUnique({
      where: { providerPaymentId: report.providerPaymentId },
      include: { invoice: true },
    });
    if (!payment) return "unknown_payment" as const;
    // Serialise reports of one payment's disputes.
    await tx.$queryRaw`SELECT 1 FROM "payments" WHERE "id" = ${payment.id}::uuid FOR UPDATE`;
    const known = await tx.dispute.findUnique({ where: { providerDisputeId: report.providerDisputeId } });
    if (known && (known.status !== "open" || report.status === "open")) return "unchanged" as const;
    const dispute = known
      ? await tx.dispute.update({ where: { id: known.id }, data: { status: report.status, closedAt: deps.now } })
      : await tx.dispute.create({
          data: {
            providerDisputeId: report.providerDisputeId,
            paymentId: payment.id,
            amountMinor: report.amountMinor,
            currency: report.currency,
            reason: report.reason,
            status: report.status,
            openedAt: deps.now,
            closedAt: report.status === "open" ? null : deps.now,
          },
        });
    const userId = payment.invoice.userId;
    const sub = payment.invoice.subscriptionId
      ? await tx.subscription.findUnique({ where: { id: payment.invoice.subscriptionId } })
      : null;
    const evidence = {
      dispute: report.providerDisputeId,
      payment: report.providerPaymentId,
      invoice: invoiceLabel(payment.invoice),
      amountMinor: report.amountMinor.toString(),
      currency: report.currency,
      reason: report.reason,
    } satisfies Prisma.InputJsonObject;

    if (!known) {
      // REF-5: a dispute cancels the referral reward the order earned, or takes it back.
      await referralOnMoneyBack(
        tx,
        payment.invoiceId,
        { kind: "dispute", id: dispute.id, amountMinor: report.amountMinor },
        deps.now,
      );
      await tx.adminFlag.createMany({
        data: [
          {
            kind: "dispute",
            subjectType: "dispute",
            subjectId: dispute.id,
            userId,
            state: "open",
            evidence,
            createdAt: deps.now,
          },
        ],
        skipDuplicates: true,
      });
      if (report.status === "open" && sub && (sub.status === "active" || sub.status === "past_due"))
        await tx.subscription.update({ where: { id: sub.id }, data: { status: "suspended", updatedAt: deps.now } });
    }
    if (report.status !== "open") {
      await tx.adminFlag.updateMany({
        where: { kind: "dispute", subjectId: dispute.id },
        data: { state: "resolved", resolvedAt: deps.now },
      });
      if (report.status === "won" && sub?.status === "suspended")
        await tx.subscription.update({ where: { id: sub.id }, data: { status: "active", updatedAt: deps.now } });
      if (report.status === "lost") await disputeLost(tx, dispute, payment, sub, deps.now);
    }
    await recordAudit(tx, {
      actorId: null,
      action: `payment.dispute_${report.status}`,
      subjectType: "payment",
      subjectId: payment.id,
      after: evidence,
      at: deps.now,
    });
    await notify(
      tx,
      [
        {
          userId,
          kind: report.status === "open" ? "dispute_opened" : report.status === "won" ? "dispute_won" : "dispute_lost",
          params: evidence,
          dedupeKey: `dispute:${dispute.id}:${report.status}`,
        },
      ],
      deps.now,
    );
    return report.status;
  }, TX_OPTIONS);
}

/** The bank took the money back: it leaves through payments clearing and the plan it paid for ends. */
async function disputeLost(
  tx: Tx,
  dispute: { id: string; amountMinor: bigint; currency: string },
  payment: { invoice: { id: string; userId: string } },
  sub: { id: string; status: string } | null,
  now: Date,
) {
  await postMany(tx, [
    {
      idempotencyKey: `dispute:${dispute.id}:lost`,
      kind: "dispute_lost",
      userId: payment.invoice.userId,
      invoiceId: payment.invoice.id,
      at: now,
      entries: [
        { account: system("payments_clearing", dispute.currency), amountMinor: dispute.amountMinor },
        { account: system("refunds", dispute.currency), amountMinor: -dispute.amountMinor },
      ],
    },
  ]);
  if (sub && sub.status !== "expired")
    await endSubscriptions(tx, [{ id: sub.id, endedAt: now, action: "subscription.dispute_lost" }], now);
}
