import { recordChargeResults } from "./checkout";
import type { BillingDeps } from "./deps";

/** How long a customer has to finish a 3-D Secure step or a wallet payment (PAY-3) before the order is given up. */
export const ABANDON_AFTER_MINUTES = 30;

/**
 * Orders whose card payment was left waiting (a 3-D Secure page closed): after
 * ABANDON_AFTER_MINUTES the processor is asked once more, and a payment still
 * not done is canceled there and counts as failed ("abandoned"): the invoice is voided, its wallet
 * part and its unit of stock come back, and the customer can order again. A
 * payment that does go through later is kept as cash (see creditLatePayments).
 * Renewals are not touched: dunning decides those.
 */
export async function expireAbandonedPayments(deps: BillingDeps, limit = 100) {
  const before = new Date(deps.now.getTime() - ABANDON_AFTER_MINUTES * 60_000);
  const waiting = await deps.db.payment.findMany({
    where: {
      status: { in: ["pending", "requires_action"] },
      offSession: false,
      createdAt: { lt: before },
      invoice: { status: "open", kind: { not: "renewal" } },
    },
    take: limit,
  });
  if (waiting.length === 0) return 0;
  const results = await Promise.all(
    waiting.map(async (p) => {
      let now = p.providerPaymentId ? await deps.port.paymentStatus(p.providerPaymentId) : null;
      // Still at the bank or the wallet: give it up there too, so a code scanned later cannot take money for a voided order (PAY-3).
      const open = now?.status === "requires_action";
      if (open) now = await deps.port.cancelPayment(p.providerPaymentId!);
      const done = now && (now.status === "succeeded" || (now.status === "failed" && !open));
      return {
        invoiceId: p.invoiceId,
        idempotencyKey: p.idempotencyKey,
        result: done ? now! : { status: "failed" as const, providerPaymentId: p.providerPaymentId, code: "abandoned" },
      };
    }),
  );
  await recordChargeResults(deps, results);
  return results.length;
}
