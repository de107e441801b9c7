import type { Tx } from "../db";
import { walletOf } from "../ledger";
import { cardToCash } from "./card-excess";
import { cashTakeOf, excessPartOf } from "./refund-split";

type RefundedPayment = {
  id: string;
  amountMinor: bigint;
  refundedMinor: bigint;
  currency: string;
  invoice: { id: string; kind: string; userId: string };
};

export type RefundSplit = { excessMinor: bigint; shortfallMinor: bigint };

const NONE: RefundSplit = { excessMinor: 0n, shortfallMinor: 0n };

/**
 * REFUND-1: how much of a refund of a plan's card payment reverses the
 * card-minimum excess, and how much of that the cash balance no longer holds.
 * Locks the wallet, so the cash taken is still there when the refund posts.
 * Top-ups and packs come back out of what they added whole (see refund.ts).
 */
export async function splitPlanRefund(tx: Tx, payment: RefundedPayment, refundMinor: bigint): Promise<RefundSplit> {
  if (payment.invoice.kind === "top_up" || payment.invoice.kind === "pack") return NONE;
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: payment.invoice.id }, include: { lines: true } });
  const excess = await tx.refund.aggregate({
    where: { paymentId: payment.id, status: { in: ["pending", "succeeded"] } },
    _sum: { excessMinor: true },
  });
  const excessMinor = excessPartOf({
    cardMinor: payment.amountMinor,
    excessMinor: cardToCash({ ...invoice, cardMinor: payment.amountMinor }),
    refundedBeforeMinor: payment.refundedMinor,
    excessBeforeMinor: excess._sum.excessMinor ?? 0n,
    refundMinor,
  });
  if (excessMinor === 0n) return NONE;
  const wallet = await walletOf(tx, payment.invoice.userId, payment.currency, { lock: true });
  return { excessMinor, shortfallMinor: cashTakeOf(excessMinor, wallet.cashMinor).shortfallMinor };
}

/** What a refund takes out of the user's cash (or pack) account; the rest is booked against revenue. */
export function cashBackOf(
  kind: string,
  refund: { amountMinor: bigint; excessMinor: bigint; shortfallMinor: bigint },
): bigint {
  return kind === "top_up" || kind === "pack" ? refund.amountMinor : refund.excessMinor - refund.shortfallMinor;
}
