import type Stripe from "stripe";
import type { BillingDeps } from "../../../billing";

/**
 * One event type's handler. It takes a batch (events of its type that arrived
 * together) and answers a note per event, in order. It must converge: running
 * it twice, or after a later event, changes nothing more.
 */
export type EventHandler<T extends Stripe.Event.Type> = (
  deps: BillingDeps,
  events: Extract<Stripe.Event, { type: T }>[],
) => Promise<string[]>;

/** A handler for types whose events are handled one at a time. */
export function eachEvent<T extends Stripe.Event.Type>(
  handle: (deps: BillingDeps, event: Extract<Stripe.Event, { type: T }>) => Promise<string>,
): EventHandler<T> {
  return async (deps, events) => {
    const notes: string[] = [];
    for (const event of events) notes.push(await handle(deps, event));
    return notes;
  };
}
