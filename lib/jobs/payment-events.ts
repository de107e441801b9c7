import pg from "pg";
import type { BillingDeps } from "../billing";
import { createDrainer } from "../payments/webhooks/process";

/**
 * The worker's side of webhook processing: the web process stores each
 * verified event and notifies "payment_events" (see wakeWorker); this drains
 * what is waiting, in batches, on the worker's own core. A lost
 * connection is re-opened; meanwhile the periodic sweep still finds the events.
 */
export function listenForPaymentEvents(
  databaseUrl: string,
  deps: () => Promise<BillingDeps>,
  log: (line: string) => void,
) {
  const drainer = createDrainer(deps);
  let client: pg.Client | null = null;
  let stopped = false;
  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on("notification", () => drainer.wake());
    c.on("error", (e) => {
      log(`payment events: listener lost its connection (${e.message}); reconnecting`);
      client = null;
      void c.end().catch(() => {});
      setTimeout(() => void connect(), 1000);
    });
    try {
      await c.connect();
      await c.query('LISTEN "payment_events"');
      client = c;
      // Whatever arrived while nobody listened.
      drainer.wake();
    } catch (e) {
      log(`payment events: cannot listen (${e instanceof Error ? e.message : e}); retrying`);
      setTimeout(() => void connect(), 1000);
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      await client?.end().catch(() => {});
      await drainer.settled();
    },
  };
}
