import { applyPaymentIntents } from "./payment-intent";
import type { EventHandler } from "./types";

/** The customer must pass 3-D Secure (PAY-1): the payment waits; a later success or failure wins. */
export const paymentIntentRequiresAction: EventHandler<"payment_intent.requires_action"> = (deps, events) =>
  applyPaymentIntents(
    deps,
    events.map((e) => e.data.object),
  );
