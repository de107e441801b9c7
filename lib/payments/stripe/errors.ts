import Stripe from "stripe";
import { PaymentUnavailableError } from "../port";

/** A refusal the customer must act on (a declined card, 3-D Secure needed off-session). */
export type CardRefusal = { code: string; paymentIntentId: string | null };

/**
 * Sorts what the SDK threw. A 402 card error is an answer (the card was
 * declined) and comes back as a refusal. 429, 5xx and network failures mean
 * nothing is known: they become PaymentUnavailableError, and the caller
 * retries with the same idempotency key. Anything else (a 400 from a bad
 * request, a wrong key) is a bug or a misconfiguration and is rethrown.
 */
export function cardRefusalOf(error: unknown): CardRefusal {
  if (error instanceof Stripe.errors.StripeCardError)
    return {
      code: error.decline_code || error.code || "card_declined",
      paymentIntentId: error.payment_intent?.id ?? null,
    };
  if (error instanceof Stripe.errors.StripeRateLimitError)
    throw new PaymentUnavailableError("rate_limited", error.message);
  if (error instanceof Stripe.errors.StripeAPIError)
    throw new PaymentUnavailableError("processor_error", error.message);
  if (error instanceof Stripe.errors.StripeConnectionError)
    throw new PaymentUnavailableError("processor_unreachable", error.message);
  if (error instanceof Stripe.errors.StripeError && (error.statusCode ?? 0) >= 500)
    throw new PaymentUnavailableError("processor_error", error.message);
  throw error;
}
