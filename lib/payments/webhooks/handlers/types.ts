import type Stripe from "stripe";
import type { BillingDeps } from "../../../billing";

/** One event type's handler. It must converge: running it twice, or after a later event, changes nothing more. */
export type EventHandler<T extends Stripe.Event.Type> = (deps: BillingDeps, event: Extract<Stripe.Event, { type: T }>) => Promise<string>;
