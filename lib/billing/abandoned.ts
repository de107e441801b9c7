import { recordChargeResults } from "./checkout";
import type { BillingDeps } from "./deps";

/** How long a customer has to finish a 3-D Secure step before the order is given up. */
export const ABANDON_AFTER_MINUTES = 30;

/**
 * Orders whose card payment was left waiting (a 3-D Secure page closed): after
 * ABANDON_AFTER_MINUTES the processor is asked once more, and a payment still
 * not done counts as failed ("abandoned"): the invoice is voided, its wallet
 * part and its unit of stock come back, and the customer can order again. A
 * payment that does go through later is kept as cash (see creditLatePayments).
 * Renewals are not touched: dunning decides those.
 */
export async function expireAbandonedPayments(deps: BillingDeps, limit = 100) {
  const before = new Date(deps.now.getTime() - ABANDON_AFTER_MINUTES * 60_000);
  const waiting = await deps.db.payment.findMany({
    where: { status: { in: ["pending", "requires_action"] }, offSession: false, createdAt: { lt: before }, invoice: { status: "open", kind: { not: "renewal" } } },
    take: limit,
  });
  if (waiting.length === 0) return 0;
  const results = await Promise.all(
    waiting.map(async (p) => {
      const now = p.providerPaymentId ? await deps.port.paymentStatus(p.providerPaymentId) : null;
      const done = now && (now.status === "succeeded" || now.status === "failed");
      return {
        invoiceId: p.invoiceId,
        idempotencyKey: p.idempotencyKey,
        result: done ? now : { status: "failed" as const, providerPaymentId: p.providerPaymentId, code: "abandoned" },
      };
    }),
  );
  await recordChargeResults(deps, results);
  return results.length;
}
