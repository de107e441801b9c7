import type { Db } from "../db";
import { invoiceLabel } from "./document-number";
import { chinaCurrency, refundRefusal } from "./refund-policy";

/**
 * A customer's card payments with their refunds and disputes, newest first
 * (admin refunds, REFUND-1), each with why the admin refund is not offered
 * when it is not (SUB-7), so the screen says so instead of a failing button.
 */
export async function cardPaymentsOf(db: Db, userId: string, limit = 50) {
  const [payments, cnCurrency] = await Promise.all([
    db.payment.findMany({
      where: { invoice: { userId } },
      orderBy: { createdAt: "desc" },
      take: limit,
      include: {
        invoice: { select: { number: true, legalNumber: true, kind: true, user: { select: { region: true } } } },
        refunds: { orderBy: { createdAt: "asc" }, include: { creditNote: { select: { id: true, number: true } } } },
        disputes: true,
      },
    }),
    chinaCurrency(db),
  ]);
  return payments.map((p) => ({
    id: p.id,
    invoiceNumber: invoiceLabel(p.invoice),
    invoiceKind: p.invoice.kind,
    amountMinor: p.amountMinor,
    currency: p.currency,
    status: p.status,
    createdAt: p.createdAt,
    refundedMinor: p.refundedMinor,
    refundableMinor: p.status === "succeeded" ? p.amountMinor - p.refundedMinor : 0n,
    refundRefusal: refundRefusal({ currency: p.currency, ownerRegion: p.invoice.user.region }, cnCurrency),
    refunds: p.refunds.map((r) => ({
      id: r.id,
      amountMinor: r.amountMinor,
      reason: r.reason,
      status: r.status,
      createdAt: r.createdAt,
      creditNote: r.creditNote,
    })),
    disputes: p.disputes.map((d) => ({ id: d.id, amountMinor: d.amountMinor, reason: d.reason, status: d.status })),
  }));
}

/** Open admin flags (disputes so far), newest first. */
export function openFlags(db: Db, limit = 50) {
  return db.adminFlag.findMany({ where: { state: "open" }, orderBy: { createdAt: "desc" }, take: limit });
}
