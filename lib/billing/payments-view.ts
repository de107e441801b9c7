import type { Db } from "../db";

/** A customer's card payments with their refunds and disputes, newest first (admin refunds, REFUND-1). */
export async function cardPaymentsOf(db: Db, userId: string, limit = 50) {
  const payments = await db.payment.findMany({
    where: { invoice: { userId } },
    orderBy: { createdAt: "desc" },
    take: limit,
    include: { invoice: { select: { number: true, kind: true } }, refunds: { orderBy: { createdAt: "asc" } }, disputes: true },
  });
  return payments.map((p) => ({
    id: p.id,
    invoiceNumber: p.invoice.number,
    invoiceKind: p.invoice.kind,
    amountMinor: p.amountMinor,
    currency: p.currency,
    status: p.status,
    createdAt: p.createdAt,
    refundedMinor: p.refundedMinor,
    refundableMinor: p.status === "succeeded" ? p.amountMinor - p.refundedMinor : 0n,
    refunds: p.refunds.map((r) => ({ id: r.id, amountMinor: r.amountMinor, reason: r.reason, status: r.status, createdAt: r.createdAt })),
    disputes: p.disputes.map((d) => ({ id: d.id, amountMinor: d.amountMinor, reason: d.reason, status: d.status })),
  }));
}

/** Open admin flags (disputes so far), newest first. */
export function openFlags(db: Db, limit = 50) {
  return db.adminFlag.findMany({ where: { state: "open" }, orderBy: { createdAt: "desc" }, take: limit });
}
