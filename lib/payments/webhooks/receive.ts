import type Stripe from "stripe";
import type { BillingDeps } from "../../billing";
import { drainEvents } from "./process";
import { storeEvent, type ClaimFilter } from "./store";

export type ReceiveOutcome = "stored" | "duplicate";

let draining: Promise<void> | null = null;
let again = false;
const retries = new Set<Promise<unknown>>();

/**
 * Processes what is waiting, in the background, one drain at a time per
 * process: events that arrive while a drain runs are taken by its next round,
 * so under load they are handled in large batches (one set-based pass per
 * event type) rather than one transaction each. Nothing is lost if this
 * process dies: the events are stored, and the worker's sweep takes them.
 */
function drainSoon(deps: () => Promise<BillingDeps>, filter: ClaimFilter = { kind: "fresh" }) {
  if (filter.kind === "one") {
    const retry = drainEvents(deps, filter)
      .catch((e) => console.error("payment events: retry failed:", e))
      .finally(() => retries.delete(retry));
    retries.add(retry);
    return;
  }
  again = true;
  if (draining) return;
  draining = (async () => {
    while (again) {
      again = false;
      await drainEvents(deps, filter).catch((e) => console.error("payment events: drain failed:", e));
    }
    draining = null;
  })();
}

/** Resolves once the background drains of this process have caught up (tests, and a graceful stop). */
export async function eventsDrained(): Promise<void> {
  while (draining || retries.size) await Promise.all([draining, ...retries]);
}

/**
 * PAY-2: a verified event is stored under its id before anything acts on it,
 * and acknowledged at once, as Stripe asks of webhook endpoints; it is then
 * processed exactly once in the background (a drain claims it; the worker's
 * sweep retries a failed one). A duplicate (a redelivery, or the same event
 * arriving concurrently) finds it stored and changes nothing; if it had
 * failed, the redelivery is the moment to try it again.
 */
export async function receiveStripeEvent(deps: () => Promise<BillingDeps>, provider: string, event: Stripe.Event, rawBody?: string): Promise<ReceiveOutcome> {
  const d = await deps();
  const stored = await storeEvent(d.db, provider, { id: event.id, type: event.type, json: rawBody ?? JSON.stringify(event) }, d.now);
  drainSoon(deps, stored ? { kind: "fresh" } : { kind: "one", id: event.id });
  return stored ? "stored" : "duplicate";
}
