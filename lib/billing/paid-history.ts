import type { Tx } from "../db";

/**
 * How many subscription orders the user has paid, other than
 * `exceptInvoiceId`. One rule for "a new subscriber" (never paid for a
 * subscription): the first-order discount and REF-2 both read it. It imports
 * nothing else of billing, so lib/referrals can use it without a cycle.
 */
export async function paidSubscriptionsOf(tx: Tx, userId: string, exceptInvoiceId?: string): Promise<number> {
  return tx.invoice.count({
    where: {
      userId,
      status: "paid",
      kind: { in: ["subscribe", "renewal", "upgrade"] },
      ...(exceptInvoiceId && { id: { not: exceptInvoiceId } }),
    },
  });
}
