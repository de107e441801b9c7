import { applyPaymentIntent } from "./payment-intent";
import type { EventHandler } from "./types";

/** The charge went through: the invoice is paid and what it bought applies (a renewal extends the period). */
export const paymentIntentSucceeded: EventHandler<"payment_intent.succeeded"> = (deps, event) => applyPaymentIntent(deps, event.data.object);
