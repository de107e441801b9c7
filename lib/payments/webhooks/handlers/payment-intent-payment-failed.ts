import { applyPaymentIntents } from "./payment-intent";
import type { EventHandler } from "./types";

/** The charge failed: a purchase is voided; a scheduled renewal charge takes the next dunning step. */
export const paymentIntentPaymentFailed: EventHandler<"payment_intent.payment_failed"> = (deps, events) =>
  applyPaymentIntents(
    deps,
    events.map((e) => e.data.object),
  );
