import type Stripe from "stripe";
import type { BillingDeps } from "../../billing";
import type { Prisma } from "../../db";
import { handlerFor } from "./dispatch";
import { claimEvent, failEvent, finishEvent, storeEvent } from "./store";

export type ReceiveOutcome = "processed" | "ignored" | "duplicate" | "failed";

/**
 * PAY-2: a verified event is stored under its id, then processed by whoever
 * claims it first; a duplicate (a redelivery, or the same event arriving
 * concurrently) finds it claimed or done and changes nothing. A handler
 * error leaves it `failed` for the processor's redelivery or the worker's
 * sweep, and answers 500 so the processor retries.
 */
export async function receiveStripeEvent(deps: BillingDeps, provider: string, event: Stripe.Event): Promise<ReceiveOutcome> {
  const handler = handlerFor(event.type);
  await storeEvent(deps.db, provider, { id: event.id, type: event.type, payload: event as unknown as Prisma.InputJsonValue }, deps.now);
  if (!(await claimEvent(deps.db, event.id))) return "duplicate";
  if (!handler) {
    await finishEvent(deps.db, event.id, deps.now, "ignored");
    return "ignored";
  }
  return runClaimed(deps, event, handler);
}

/** Runs a stored event again from its payload (the worker's sweep of unfinished events). */
export async function reprocessStoredEvent(deps: BillingDeps, id: string): Promise<ReceiveOutcome> {
  const row = await deps.db.paymentEvent.findUnique({ where: { id } });
  if (!row || !(await claimEvent(deps.db, id))) return "duplicate";
  const event = row.payload as unknown as Stripe.Event;
  const handler = handlerFor(event.type);
  if (!handler) {
    await finishEvent(deps.db, id, deps.now, "ignored");
    return "ignored";
  }
  return runClaimed(deps, event, handler);
}

async function runClaimed(deps: BillingDeps, event: Stripe.Event, handler: (deps: BillingDeps, event: Stripe.Event) => Promise<string>) {
  try {
    const note = await handler(deps, event);
    await finishEvent(deps.db, event.id, deps.now, note);
    return "processed" as const;
  } catch (e) {
    await failEvent(deps.db, event.id, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    return "failed" as const;
  }
}
