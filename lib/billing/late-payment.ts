import type { Tx } from "../db";
import { postMany, system, userCash } from "../ledger";
import { notify } from "../notices/notify";

/**
 * A card payment that succeeded for an invoice already paid another way or
 * already voided (a dunning retry racing the customer's own payment, a
 * 3-D Secure step finished after the order lapsed): the money was taken, so
 * it goes to the customer's cash balance rather than being lost.
 */
export async function creditLatePayments(
  tx: Tx,
  payments: { paymentKey: string; invoiceId: string; amountMinor: bigint }[],
  now: Date,
) {
  if (payments.length === 0) return;
  const invoices = new Map(
    (await tx.invoice.findMany({ where: { id: { in: payments.map((p) => p.invoiceId) } } })).map((i) => [i.id, i]),
  );
  const credited = payments.map((p) => ({ ...p, invoice: invoices.get(p.invoiceId)! }));
  await postMany(
    tx,
    credited.map(({ paymentKey, invoice, amountMinor }) => ({
      idempotencyKey: `payment:${paymentKey}:late`,
      kind: "late_payment",
      userId: invoice.userId,
      invoiceId: invoice.id,
      at: now,
      entries: [
        { account: system("payments_clearing", invoice.currency), amountMinor: -amountMinor },
        { account: userCash(invoice.userId, invoice.currency), amountMinor },
      ],
    })),
  );
  await notify(
    tx,
    credited.map(({ paymentKey, invoice, amountMinor }) => ({
      userId: invoice.userId,
      kind: "late_payment_credited" as const,
      params: { amountMinor: amountMinor.toString(), currency: invoice.currency, invoice: invoice.number.toString() },
      dedupeKey: `late:${paymentKey}`,
    })),
    now,
  );
}
