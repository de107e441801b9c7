// Stripe behind the payment port (real Stripe, or the local Stripe-compatible server).
export { stripePort, chargeResultOf } from "./port";
export { stripeClient } from "./client";
export { stripeSettings, LOCAL_SECRET_KEY, type StripeSettings } from "./settings";
export { verifyStripeEvent, isSignatureError, signStripePayload } from "./webhook-signature";
export { testPaymentMethodFor, TEST_CARD_NUMBERS, type TestCardError } from "./test-cards";
