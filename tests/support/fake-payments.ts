import type { ChargeRequest, ChargeResult, PaymentPort } from "../../lib/payments";

/**
 * A test double of the payment port (tests only; the app uses Stripe or the
 * local Stripe-compatible server). Like a real processor it is idempotent by
 * key: the same key answers the same charge. `next` sets how the next new
 * charge ends; `hasCard` whether the customer has a saved card.
 */
export function fakePayments() {
  const charges = new Map<string, { req: ChargeRequest; result: ChargeResult }>();
  let next: "succeed" | "fail" | "requires_action" = "succeed";
  let hasCard = true;
  let n = 0;
  // Ids unique across instances, as a processor's are (payments.provider_payment_id is unique).
  const prefix = Math.random().toString(36).slice(2, 8);
  const charge = async (req: ChargeRequest): Promise<ChargeResult> => {
    const seen = charges.get(req.idempotencyKey);
    if (seen) return seen.result;
    n += 1;
    const id = `pi_fake_${prefix}_${n}`;
    const result: ChargeResult = !hasCard
      ? { status: "failed", providerPaymentId: null, code: "no_payment_method" }
      : next === "succeed"
        ? { status: "succeeded", providerPaymentId: id }
        : next === "fail"
          ? { status: "failed", providerPaymentId: id, code: "card_declined" }
          : { status: "requires_action", providerPaymentId: id, actionUrl: `https://example.test/3ds/${id}` };
    charges.set(req.idempotencyKey, { req, result });
    return result;
  };
  const card = { brand: "visa", last4: "4242", expMonth: 12, expYear: 2030 };
  const port: PaymentPort = {
    name: "fake",
    canCharge: async () => hasCard,
    chargeOffSession: charge,
    startOnSession: charge,
    cancelPayment: async (id) => {
      const found = [...charges.values()].find((c) => c.result.providerPaymentId === id);
      if (found && found.result.status !== "succeeded")
        found.result = { status: "failed", providerPaymentId: id, code: "canceled" };
      return found?.result ?? { status: "failed", providerPaymentId: id, code: "unknown" };
    },
    paymentStatus: async (id) =>
      [...charges.values()].find((c) => c.result.providerPaymentId === id)?.result ?? {
        status: "failed",
        providerPaymentId: id,
        code: "unknown",
      },
    refund: async (r) => ({ status: "succeeded", providerRefundId: `re_${r.idempotencyKey}` }),
    savedMethod: async () => (hasCard ? { type: "card" as const, ...card } : null),
    rememberPayment: async () => null,
    removeSavedMethod: async () => void (hasCard = false),
    methodDetached: async () => 0,
    saveCard: async () => {
      hasCard = true;
      return { status: "succeeded", card };
    },
    setupStatus: async () => ({ status: "succeeded", card }),
  };
  return {
    port,
    charges,
    willFail: () => void (next = "fail"),
    willSucceed: () => void (next = "succeed"),
    willRequireAction: () => void (next = "requires_action"),
    /** Charges already started with `requires_action` end as the customer's 3-D Secure step decides. */
    complete(providerPaymentId: string, outcome: "succeeded" | "failed") {
      for (const c of charges.values())
        if (c.result.providerPaymentId === providerPaymentId)
          c.result =
            outcome === "succeeded"
              ? { status: "succeeded", providerPaymentId }
              : { status: "failed", providerPaymentId, code: "payment_intent_authentication_failure" };
    },
    removeCard: () => void (hasCard = false),
  };
}
