import type Stripe from "stripe";
import { recordChargeResults, type BillingDeps } from "../../../billing";
import type { ChargeResult } from "../../port";
import { chargeResultOf } from "../../stripe/port";

// How far along a payment a result is; of several reports for one payment in a batch, the furthest wins.
const PROGRESS: Record<ChargeResult["status"], number> = { pending: 0, requires_action: 1, failed: 2, succeeded: 3 };

/**
 * Applies PaymentIntents' states to the payments they belong to, found by the
 * key CodePlan put in their metadata, in one set-based recordChargeResults.
 * It only ever moves a payment forward, so the payment_intent events converge
 * in any order and any number.
 */
export async function applyPaymentIntents(deps: BillingDeps, intents: Stripe.PaymentIntent[]): Promise<string[]> {
  const keys = [...new Set(intents.map((pi) => pi.metadata?.payment_key).filter((k): k is string => Boolean(k)))];
  const payments = new Map(
    (
      await deps.db.payment.findMany({
        where: { idempotencyKey: { in: keys } },
        select: { idempotencyKey: true, invoiceId: true },
      })
    ).map((p) => [p.idempotencyKey, p.invoiceId]),
  );
  const furthest = new Map<string, { invoiceId: string; idempotencyKey: string; result: ChargeResult }>();
  const notes = intents.map((pi) => {
    const key = pi.metadata?.payment_key;
    if (!key) return "not_ours";
    const invoiceId = payments.get(key);
    if (!invoiceId) return "unknown_payment";
    const result = chargeResultOf(pi);
    const seen = furthest.get(key);
    if (!seen || PROGRESS[result.status] > PROGRESS[seen.result.status])
      furthest.set(key, { invoiceId, idempotencyKey: key, result });
    return result.status;
  });
  await recordChargeResults(deps, [...furthest.values()]);
  return notes;
}
