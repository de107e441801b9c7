import type Stripe from "stripe";
import { recordChargeResults, type BillingDeps } from "../../../billing";
import { chargeResultOf } from "../../stripe/port";

/**
 * Applies a PaymentIntent's state to the payment it belongs to, found by the
 * key CodePlan put in its metadata. recordChargeResults only ever moves a
 * payment forward, so the three payment_intent events converge in any order.
 */
export async function applyPaymentIntent(deps: BillingDeps, pi: Stripe.PaymentIntent): Promise<string> {
  const key = pi.metadata?.payment_key;
  if (!key) return "not_ours";
  const payment = await deps.db.payment.findUnique({ where: { idempotencyKey: key }, select: { invoiceId: true } });
  if (!payment) return "unknown_payment";
  const result = chargeResultOf(pi);
  await recordChargeResults(deps, [{ invoiceId: payment.invoiceId, idempotencyKey: key, result }]);
  return result.status;
}
