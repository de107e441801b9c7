import type { Tx } from "../db";

/** How many subscription orders the user has paid, other than `exceptInvoiceId` (REF-2: is the friend new?). */
export async function paidSubscriptionsOf(tx: Tx, userId: string, exceptInvoiceId?: string): Promise<number> {
  return tx.invoice.count({
    where: { userId, status: "paid", kind: { in: ["subscribe", "renewal", "upgrade"] }, ...(exceptInvoiceId && { id: { not: exceptInvoiceId } }) },
  });
}
