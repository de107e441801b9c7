import type { ChargeRequest, ChargeResult, PaymentPort } from "../../lib/payments";

/**
 * A test double of the payment port (tests only; the app never uses it). Like
 * a real processor it is idempotent by key: the same key answers the same
 * charge. `next` sets how the next new charge ends.
 */
export function fakePayments() {
  const charges = new Map<string, { req: ChargeRequest; result: ChargeResult }>();
  let next: "succeed" | "fail" | "requires_action" = "succeed";
  let n = 0;
  // Ids unique across instances, as a processor's are (payments.provider_payment_id is unique).
  const prefix = Math.random().toString(36).slice(2, 8);
  const charge = async (req: ChargeRequest): Promise<ChargeResult> => {
    const seen = charges.get(req.idempotencyKey);
    if (seen) return seen.result;
    n += 1;
    const id = `pi_fake_${prefix}_${n}`;
    const result: ChargeResult =
      next === "succeed"
        ? { status: "succeeded", providerPaymentId: id }
        : next === "fail"
          ? { status: "failed", providerPaymentId: id, code: "card_declined" }
          : { status: "requires_action", providerPaymentId: id, actionUrl: `https://example.test/3ds/${id}` };
    charges.set(req.idempotencyKey, { req, result });
    return result;
  };
  const port: PaymentPort = {
    name: "fake",
    canCharge: async () => true,
    chargeOffSession: charge,
    startOnSession: charge,
    refund: async (r) => ({ status: "succeeded", providerRefundId: `re_${r.idempotencyKey}` }),
  };
  return {
    port,
    charges,
    willFail: () => void (next = "fail"),
    willSucceed: () => void (next = "succeed"),
    willRequireAction: () => void (next = "requires_action"),
  };
}
