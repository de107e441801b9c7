import { applyPaymentIntents } from "./payment-intent";
import type { EventHandler } from "./types";

/** The charge went through: the invoice is paid and what it bought applies (a renewal extends the period). */
export const paymentIntentSucceeded: EventHandler<"payment_intent.succeeded"> = (deps, events) =>
  applyPaymentIntents(
    deps,
    events.map((e) => e.data.object),
  );
