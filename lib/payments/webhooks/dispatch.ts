import type Stripe from "stripe";
import type { BillingDeps } from "../../billing";
import { chargeDisputeClosed } from "./handlers/charge-dispute-closed";
import { chargeDisputeCreated } from "./handlers/charge-dispute-created";
import { chargeRefunded } from "./handlers/charge-refunded";
import { paymentIntentCanceled } from "./handlers/payment-intent-canceled";
import { paymentIntentPaymentFailed } from "./handlers/payment-intent-payment-failed";
import { paymentIntentRequiresAction } from "./handlers/payment-intent-requires-action";
import { paymentIntentSucceeded } from "./handlers/payment-intent-succeeded";
import { paymentMethodDetached } from "./handlers/payment-method-detached";
import { setupIntentSucceeded } from "./handlers/setup-intent-succeeded";
import type { EventHandler } from "./handlers/types";

type HandlerMap = { [T in Stripe.Event.Type]?: EventHandler<T> };

/** The event types CodePlan acts on; every other type is acknowledged and ignored. */
export const HANDLERS: HandlerMap = {
  "payment_intent.succeeded": paymentIntentSucceeded,
  "payment_intent.payment_failed": paymentIntentPaymentFailed,
  "payment_intent.requires_action": paymentIntentRequiresAction,
  "payment_intent.canceled": paymentIntentCanceled,
  "setup_intent.succeeded": setupIntentSucceeded,
  "payment_method.detached": paymentMethodDetached,
  "charge.refunded": chargeRefunded,
  "charge.dispute.created": chargeDisputeCreated,
  "charge.dispute.closed": chargeDisputeClosed,
};

export type AnyHandler = (deps: BillingDeps, events: Stripe.Event[]) => Promise<string[]>;

export function handlerFor(type: string): AnyHandler | null {
  const handler = HANDLERS[type as Stripe.Event.Type];
  return handler ? (handler as AnyHandler) : null;
}
