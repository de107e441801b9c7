import { recordAudit } from "../audit/record";
import type { Tx } from "../db";
import { postMany, system, userCash, userPacks, type Posting } from "../ledger";
import { notify } from "../notices/notify";
import { referralOnMoneyBack } from "../referrals";
import { issueCreditNote } from "./credit-note";
import { invoiceLabel } from "./document-number";
import { periodAfterRefund } from "./refund-period";
import { endSubscriptions } from "./subscription-end";

type PaymentRow = { id: string; invoiceId: string; currency: string };

type RefundedInvoice = { id: string; kind: string; userId: string };

/**
 * The ledger side of a refund, booked when the refund is asked for: the money
 * leaves through payments clearing, out of the cash balance for a top-up (or
 * the pack's account for a resource pack: all of it when an admin refunds;
 * what is left when the processor refunded on its own) and out of revenue,
 * through the refunds account, for the rest. A
 * refusal by the processor books it back (`refundReversal`).
 */
function refundPosting(
  refund: { id: string; amountMinor: bigint },
  invoice: RefundedInvoice,
  currency: string,
  cashPartMinor: bigint,
  now: Date,
): Posting {
  const entries = [
    { account: system("payments_clearing", currency), amountMinor: refund.amountMinor },
    {
      account: (invoice.kind === "pack" ? userPacks : userCash)(invoice.userId, currency),
      amountMinor: -cashPartMinor,
    },
    { account: system("refunds", currency), amountMinor: cashPartMinor - refund.amountMinor },
  ].filter((e) => e.amountMinor !== 0n);
  return {
    idempotencyKey: `refund:${refund.id}`,
    kind: "refund",
    userId: invoice.userId,
    invoiceId: invoice.id,
    at: now,
    entries,
  };
}

export async function bookRefund(
  tx: Tx,
  refund: { id: string; amountMinor: bigint },
  invoice: RefundedInvoice,
  currency: string,
  cashPartMinor: bigint,
  now: Date,
) {
  await postMany(tx, [refundPosting(refund, invoice, currency, cashPartMinor, now)]);
}

export async function refundReversal(
  tx: Tx,
  refund: { id: string; amountMinor: bigint },
  invoice: RefundedInvoice,
  currency: string,
  cashPartMinor: bigint,
  now: Date,
) {
  const booked = refundPosting(refund, invoice, currency, cashPartMinor, now);
  await postMany(tx, [
    {
      ...booked,
      idempotencyKey: `refund:${refund.id}:reversal`,
      kind: "refund_reversal",
      entries: booked.entries.map((e) => ({ ...e, amountMinor: -e.amountMinor })),
    },
  ]);
}

/**
 * What a refund that went through does beyond the ledger (REFUND-1): the
 * subscription it paid for ends, or is shortened by the share of the period's
 * payment it returns (the card-minimum excess it also returns paid for no
 * time) and will not renew; a credit note is issued (INV-1); the subscriber
 * is told; the audit log has it.
 */
export async function applyRefundEffects(
  tx: Tx,
  refund: {
    id: string;
    amountMinor: bigint;
    excessMinor: bigint;
    shortfallMinor: bigint;
    currency: string;
    reason: string;
    actorId: string | null;
  },
  payment: PaymentRow,
  now: Date,
) {
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: payment.invoiceId } });
  const sub = invoice.subscriptionId
    ? await tx.subscription.findUnique({ where: { id: invoice.subscriptionId } })
    : null;
  const planMinor = refund.amountMinor - refund.excessMinor;
  let effect: Record<string, string> = { subscription: "unchanged" };
  // Only a refund of the period running now changes the subscription; an old period is history.
  const current =
    sub &&
    sub.status !== "expired" &&
    invoice.kind !== "top_up" &&
    invoice.kind !== "pack" &&
    invoice.periodStart?.getTime() === sub.periodStart.getTime();
  if (sub && current && planMinor > 0n) {
    const after = periodAfterRefund({
      periodStart: sub.periodStart,
      periodEnd: sub.periodEnd,
      paidMinor: sub.periodPaidMinor,
      refundMinor: planMinor,
      now,
    });
    if (after.ends === "now") {
      await endSubscriptions(
        tx,
        [
          {
            id: sub.id,
            endedAt: now,
            action: "subscription.refund_end",
            actorId: refund.actorId,
            reason: refund.reason,
          },
        ],
        now,
      );
      effect = { subscription: "ended" };
    } else {
      await tx.subscription.update({
        where: { id: sub.id },
        data: {
          periodEnd: after.periodEnd,
          periodPaidMinor: after.paidMinor,
          autoRenew: false,
          canceledAt: sub.canceledAt ?? now,
          scheduledTier: null,
          scheduledCycle: null,
          updatedAt: now,
        },
      });
      effect = {
        subscription: "shortened",
        periodEnd: after.periodEnd.toISOString(),
        previousEnd: sub.periodEnd.toISOString(),
      };
    }
  }
  // REFUND-1: what the refund returns of the order's payment reduces or cancels its referral reward (REF-2, REF-4).
  if (planMinor > 0n)
    await referralOnMoneyBack(tx, payment.invoiceId, { kind: "refund", id: refund.id, amountMinor: planMinor }, now);
  const note = await issueCreditNote(tx, refund, invoice, now);
  // The excess the cash balance no longer held is recorded here and on the refund row (as referral clawbacks record theirs).
  const excess =
    refund.excessMinor > 0n
      ? { excessMinor: refund.excessMinor.toString(), shortfallMinor: refund.shortfallMinor.toString() }
      : {};
  await recordAudit(tx, {
    actorId: refund.actorId,
    action: "payment.refund",
    subjectType: "payment",
    subjectId: payment.id,
    after: {
      refundId: refund.id,
      amountMinor: refund.amountMinor.toString(),
      currency: payment.currency,
      reason: refund.reason,
      invoice: invoiceLabel(invoice),
      creditNote: note.number,
      ...excess,
      ...effect,
    },
    at: now,
  });
  await notify(
    tx,
    [
      {
        userId: invoice.userId,
        kind: "refund_issued",
        params: {
          amountMinor: refund.amountMinor.toString(),
          currency: payment.currency,
          invoice: invoiceLabel(invoice),
        },
        dedupeKey: `refund:${refund.id}`,
      },
    ],
    now,
  );
}
