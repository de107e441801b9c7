import type Stripe from "stripe";
import type { BillingDeps } from "../../billing";
import { env } from "../../config/env";
import type { Db } from "../../db";
import { createDrainer } from "./process";
import { storeEvent, wakeWorker } from "./store";

export type ReceiveOutcome = "stored" | "duplicate";

let drainer: ReturnType<typeof createDrainer> | null = null;

/**
 * Processing stays in this process unless a job worker beside it takes it
 * (`npm start` runs one and sets WEBHOOK_EVENTS_BY_WORKER=1): the worker
 * listens for stored events and drains them on its own core.
 */
const processedHere = () => env().WEBHOOK_EVENTS_BY_WORKER !== "1";

/** Resolves once this process's background processing has caught up (tests, and a graceful stop). */
export async function eventsDrained(): Promise<void> {
  while (drainer && !drainer.idle()) await drainer.settled();
}

/**
 * PAY-2: a verified event is stored under its id before anything acts on it,
 * and acknowledged at once, as Stripe asks of webhook endpoints; it is then
 * processed exactly once in the background, in batches (a drain claims it).
 * A duplicate (a redelivery, or the same event arriving concurrently) finds it
 * stored and changes nothing. An event whose handler failed is retried by the
 * worker's sweep, not by redeliveries, so a poison event cannot be hammered.
 */
export async function receiveStripeEvent(
  db: Db,
  deps: () => Promise<BillingDeps>,
  provider: string,
  event: Stripe.Event,
  rawBody?: string,
): Promise<ReceiveOutcome> {
  // `deps` (which reads the clock) is only for the processing; storing needs the database alone.
  const stored = await storeEvent(db, provider, {
    id: event.id,
    type: event.type,
    json: rawBody ?? JSON.stringify(event),
  });
  if (stored) {
    if (processedHere()) (drainer ??= createDrainer(deps)).wake();
    else wakeWorker(db);
  }
  return stored ? "stored" : "duplicate";
}
