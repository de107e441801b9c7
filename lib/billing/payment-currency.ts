import type { Db } from "../db";

/** The currency of one of the customer's payments, or null when the payment is not theirs (REFUND-1's form). */
export async function paymentCurrency(database: Db, userId: string, paymentId: string): Promise<string | null> {
  const payment = await database.payment.findFirst({
    where: { id: paymentId, invoice: { userId } },
    select: { currency: true },
  });
  return payment?.currency ?? null;
}
