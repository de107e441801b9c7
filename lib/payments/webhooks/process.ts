import type Stripe from "stripe";
import type { BillingDeps } from "../../billing";
import { handlerFor } from "./dispatch";
import { claimEvents, failEvent, finishEvents, type ClaimFilter } from "./store";

export type EventOutcome = "processed" | "ignored" | "failed";

/**
 * Processes claimed events, one handler call per event type (each handler
 * works set-based on its batch). A handler that throws on a batch is run again
 * one event at a time, so one bad event fails alone and the rest go through.
 */
export async function processEvents(
  deps: BillingDeps,
  claimed: { id: string; type: string; payload: unknown }[],
): Promise<Map<string, EventOutcome>> {
  const outcomes = new Map<string, EventOutcome>();
  const byType = new Map<string, Stripe.Event[]>();
  for (const row of claimed) {
    const group = byType.get(row.type) ?? [];
    group.push(row.payload as Stripe.Event);
    byType.set(row.type, group);
  }
  const done: { id: string; note: string }[] = [];
  for (const [type, events] of byType) {
    const handler = handlerFor(type);
    if (!handler) {
      for (const e of events) {
        done.push({ id: e.id, note: "ignored" });
        outcomes.set(e.id, "ignored");
      }
      continue;
    }
    try {
      const notes = await handler(deps, events);
      events.forEach((e, i) => {
        done.push({ id: e.id, note: notes[i] });
        outcomes.set(e.id, "processed");
      });
    } catch {
      for (const e of events) {
        try {
          const [note] = await handler(deps, [e]);
          done.push({ id: e.id, note });
          outcomes.set(e.id, "processed");
        } catch (err) {
          await failEvent(deps.db, e.id, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
          outcomes.set(e.id, "failed");
        }
      }
    }
  }
  await finishEvents(deps.db, done, deps.now);
  return outcomes;
}

/** Claims and processes stored events, a batch at a time, until none is left. */
export async function drainEvents(
  deps: () => Promise<BillingDeps>,
  filter: ClaimFilter = { kind: "fresh" },
  onOutcome?: (id: string, outcome: EventOutcome) => void,
): Promise<Map<string, EventOutcome>> {
  const all = new Map<string, EventOutcome>();
  for (;;) {
    const d = await deps();
    const claimed = await claimEvents(d.db, filter);
    if (claimed.length === 0) break;
    for (const [id, outcome] of await processEvents(d, claimed)) {
      all.set(id, outcome);
      onOutcome?.(id, outcome);
    }
  }
  return all;
}

/**
 * Processes stored events in the background, one drain at a time: a wake-up
 * during a drain makes it go round once more, so under load events are
 * handled in large batches (one set-based pass per type) rather than one
 * transaction each. Nothing is lost if the process dies: the events are
 * stored, and the worker's sweep takes them.
 */
export function createDrainer(deps: () => Promise<BillingDeps>) {
  let running: Promise<void> | null = null;
  let again = false;
  return {
    wake() {
      again = true;
      if (running) return;
      running = (async () => {
        while (again) {
          again = false;
          await drainEvents(deps).catch((e) => console.error("payment events: drain failed:", e));
        }
        running = null;
      })();
    },
    idle: () => running === null,
    settled: () => running ?? Promise.resolve(),
  };
}
