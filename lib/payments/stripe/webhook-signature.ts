import Stripe from "stripe";

// Only the webhook helpers are used here; they need no key and no network.
const verifier = new Stripe("sk_test_signature_only");

/**
 * PAY-2: an event is believed only if its signature checks out on the raw
 * body: a wrong secret, a tampered body or a timestamp older than five minutes
 * throws StripeSignatureVerificationError.
 */
export function verifyStripeEvent(rawBody: string, signature: string | null, secret: string): Stripe.Event {
  return verifier.webhooks.constructEvent(rawBody, signature ?? "", secret);
}

export const isSignatureError = (e: unknown) => e instanceof Stripe.errors.StripeSignatureVerificationError;

/** Signs a payload as Stripe does (tests, the benchmark and the local server's deliveries). */
export function signStripePayload(payload: string, secret: string, timestamp?: number): string {
  return verifier.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp !== undefined && { timestamp }) });
}
