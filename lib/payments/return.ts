import { recordChargeResults, type BillingDeps } from "../billing";

/**
 * The customer is back from 3-D Secure or Alipay: ask the processor where the payment
 * stands and record it (recordChargeResults only moves a payment forward, so
 * the webhook that reports the same thing changes nothing more). Only the
 * payment's own customer can trigger this.
 */
export async function confirmReturnedPayment(
  deps: BillingDeps,
  userId: string,
  providerPaymentId: string,
): Promise<{ ok: true } | { ok: false; code: string }> {
  const payment = await deps.db.payment.findUnique({
    where: { providerPaymentId },
    include: { invoice: { select: { userId: true } } },
  });
  if (!payment || payment.invoice.userId !== userId) return { ok: false, code: "unknown_payment" };
  let result = await deps.port.paymentStatus(providerPaymentId);
  // Back from a wallet without finishing (Alipay left, PAY-3): that attempt is over, as an abandoned card payment is.
  if (result.status === "requires_action") result = await deps.port.cancelPayment(providerPaymentId);
  await recordChargeResults(deps, [{ invoiceId: payment.invoiceId, idempotencyKey: payment.idempotencyKey, result }]);
  if (result.status === "succeeded") {
    // Back from Alipay having signed the agreement (PAY-3): renewals charge it from now, webhook or not.
    await deps.port.rememberPayment(userId, providerPaymentId);
    return { ok: true };
  }
  return { ok: false, code: result.status === "failed" ? result.code : result.status };
}

/** Back from 3-D Secure on a card setup: the card is saved if the bank approved. */
export async function confirmReturnedSetup(
  deps: BillingDeps,
  userId: string,
  setupId: string,
): Promise<{ ok: true } | { ok: false; code: string }> {
  const result = await deps.port.setupStatus(userId, setupId);
  return result.status === "succeeded"
    ? { ok: true }
    : { ok: false, code: result.status === "failed" ? result.code : "requires_action" };
}
