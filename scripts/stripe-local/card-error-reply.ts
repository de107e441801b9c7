import type { Reply } from "./api-context";
import type { IntentError, PaymentIntent, SetupIntent } from "./stripe-objects";

/**
 * Stripe's 402: the decline, plus the intent as it now stands, which the SDK
 * exposes as `err.payment_intent` / `err.setup_intent`. Returned rather than
 * thrown because the intent has already changed (and the answer is replayed
 * under the same Idempotency-Key, as Stripe does).
 */
export function cardErrorReply(
  error: IntentError,
  intent: { payment_intent?: PaymentIntent; setup_intent?: SetupIntent } = {},
): Reply {
  return { status: 402, body: { error: { ...structuredClone(error), ...structuredClone(intent) } } };
}
