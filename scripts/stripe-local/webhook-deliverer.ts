import { newId } from "./new-id";
import type { DeliveryLogEntry, PendingDelivery, State } from "./state";
import type { StripeEvent } from "./stripe-objects";
import { postWebhook, type PostResult } from "./webhook-post";
import { signWebhook } from "./webhook-signature";

export type WebhookDelivererOptions = {
  state: State;
  /** Writes the state to disk; called after every change the deliverer makes. */
  persist: () => void;
  /** Where events go; unset means events are recorded but never sent. */
  webhookUrl?: string;
  webhookSecret: string;
  retryBaseMs: number;
  maxAttempts: number;
  log: (msg: string) => void;
  timeoutMs?: number;
};

export type WebhookDeliverer = ReturnType<typeof createWebhookDeliverer>;

// Enough history for tests and debugging without letting the data file grow forever.
const LOG_LIMIT = 1000;

/**
 * Sends events to the webhook endpoint the way Stripe does: at least once,
 * each attempt freshly signed, non-2xx or network errors retried with
 * exponential backoff, deliveries independent of each other (one slow
 * receiver call does not hold up the rest). The queue lives in the state, so
 * a restart resumes whatever was still pending.
 */
export function createWebhookDeliverer(opts: WebhookDelivererOptions) {
  const w = opts.state.webhooks;
  const timers = new Map<string, NodeJS.Timeout>();
  const inFlight = new Map<string, { abort: AbortController; done: Promise<void> }>();
  let stopped = false;

  function findEvent(id: string): StripeEvent | undefined {
    // Newest events are the likeliest to be delivered, so search from the end.
    for (let i = opts.state.events.length - 1; i >= 0; i--)
      if (opts.state.events[i].id === id) return opts.state.events[i];
    return undefined;
  }

  /** Queues one delivery, or two when duplicates are switched on (Stripe may deliver an event more than once). */
  function addDeliveries(eventId: string): PendingDelivery[] {
    const copies = w.duplicate ? 2 : 1;
    const added: PendingDelivery[] = [];
    for (let i = 0; i < copies; i++) {
      const d: PendingDelivery = { id: newId("whdel"), eventId, attempt: 1, dueAt: Date.now() };
      w.pending.push(d);
      added.push(d);
    }
    return added;
  }

  function schedule(d: PendingDelivery): void {
    if (stopped || timers.has(d.id)) return;
    const timer = setTimeout(
      () => {
        timers.delete(d.id);
        void attempt(d);
      },
      Math.max(0, d.dueAt - Date.now()),
    );
    timers.set(d.id, timer);
  }

  function backoffMs(failedAttempt: number): number {
    const base = opts.retryBaseMs * 2 ** (failedAttempt - 1);
    return Math.round(base * (0.8 + Math.random() * 0.4)); // ±20% so retries from one outage spread out
  }

  function settle(d: PendingDelivery, event: StripeEvent | undefined, result: PostResult): void {
    const delivered = "status" in result && result.status >= 200 && result.status < 300;
    if (event) {
      const entry: DeliveryLogEntry = {
        deliveryId: d.id,
        eventId: event.id,
        type: event.type,
        attempt: d.attempt,
        status: "status" in result ? result.status : null,
        error: "error" in result ? result.error : null,
        at: new Date().toISOString(),
      };
      w.log.push(entry);
      if (w.log.length > LOG_LIMIT) w.log.splice(0, w.log.length - LOG_LIMIT);
      const outcome = "status" in result ? `HTTP ${result.status}` : result.error;
      opts.log(`webhook ${event.type} ${event.id} attempt ${d.attempt}: ${outcome}`);
    }
    if (delivered || !event || d.attempt >= opts.maxAttempts) {
      const i = w.pending.indexOf(d);
      if (i >= 0) w.pending.splice(i, 1);
      if (event && !delivered) opts.log(`webhook ${event.id}: giving up after ${d.attempt} attempts`);
    } else {
      d.dueAt = Date.now() + backoffMs(d.attempt);
      d.attempt += 1;
      schedule(d);
    }
    opts.persist();
  }

  async function attempt(d: PendingDelivery): Promise<void> {
    if (stopped || inFlight.has(d.id) || !opts.webhookUrl) return;
    const event = findEvent(d.eventId);
    if (!event) return settle(d, undefined, { error: "event not found" });
    // Stripe's payloads are pretty-printed JSON; the signature covers these exact bytes.
    const body = JSON.stringify(event, null, 2);
    const abort = new AbortController();
    let finish = () => {};
    inFlight.set(d.id, { abort, done: new Promise<void>((r) => (finish = r)) });
    try {
      const result = await postWebhook(
        opts.webhookUrl,
        body,
        {
          "Content-Type": "application/json; charset=utf-8",
          Accept: "*/*; q=0.5, application/xml",
          "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "Stripe-Signature": signWebhook(body, opts.webhookSecret),
        },
        { timeoutMs: opts.timeoutMs ?? 10_000, signal: abort.signal },
      );
      // After stop() the attempt stays pending in the data file and the next run sends it again.
      if (!stopped) settle(d, event, result);
    } finally {
      inFlight.delete(d.id);
      finish();
    }
  }

  /** Sends held events one after another (each event's copies together), so their order is the order given. */
  async function flush(order: "forward" | "reverse"): Promise<number> {
    const ids = w.held.splice(0);
    if (order === "reverse") ids.reverse();
    const batches = ids.map(addDeliveries);
    opts.persist();
    for (const batch of batches) await Promise.all(batch.map(attempt));
    return ids.length;
  }

  return {
    /** Called for every new event, inside the request that caused it (the caller persists). */
    enqueue(event: StripeEvent): void {
      if (!opts.webhookUrl) return;
      if (w.paused) {
        w.held.push(event.id);
        return;
      }
      for (const d of addDeliveries(event.id)) schedule(d);
    },

    flush,

    /** Unpausing releases what was held, oldest first, so nothing is stranded. */
    async configure(update: { paused?: boolean; duplicate?: boolean }): Promise<void> {
      const wasPaused = w.paused;
      if (update.paused !== undefined) w.paused = update.paused;
      if (update.duplicate !== undefined) w.duplicate = update.duplicate;
      opts.persist();
      if (wasPaused && !w.paused) await flush("forward");
    },

    /** Resumes deliveries left pending by a previous run. */
    start(): void {
      for (const d of w.pending) schedule(d);
    },

    /** Stops sending; attempts cut short remain pending in the state for the next run. */
    async stop(): Promise<void> {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      const running = [...inFlight.values()];
      for (const r of running) r.abort.abort();
      await Promise.all(running.map((r) => r.done));
    },
  };
}
