/**
 * The background worker: durable jobs on the Postgres queue (renewals,
 * expiries, dunning retries), and the periodic chores (renewal reminders,
 * notice e-mails, unfinished payment events), hourly pruning of what anonymous
 * requests write (sign-in attempts, invite visits, magic-link tokens), and the processing of stored
 * Stripe events as they arrive (LISTEN "payment_events"). `npm start` runs one beside the app; more can run anywhere with
 * the same DATABASE_URL (`npm run worker`), as pg-boss hands each job to one.
 */
import { clockFor } from "../lib/clock";
import { env } from "../lib/config/env";
import { createDb } from "../lib/db/client";
import { openQueue } from "../lib/jobs/queue";
import { sweepDueRenewals, workRenewals } from "../lib/jobs/renewals";
import { sweepDunning, workDunning } from "../lib/jobs/dunning";
import { runHousekeeping } from "../lib/jobs/housekeeping";
import { listenForPaymentEvents } from "../lib/jobs/payment-events";
import { schedulePruning } from "../lib/jobs/prune";
import { paymentPort } from "../lib/payments";
import "../lib/composition/wiring";

const log = (line: string) => console.log(`worker: ${line}`);
const config = env();
if (!process.env.DATABASE_URL) {
  console.error("worker: DATABASE_URL is not set (npm start sets it)");
  process.exit(2);
}
const database = createDb(process.env.DATABASE_URL);
const clock = clockFor(config.APP_ENV, () => database);
const port = paymentPort();
const deps = async () => ({ db: database, now: await clock.now(), port });

const boss = await openQueue({ databaseUrl: process.env.DATABASE_URL, timeoutSeconds: config.JOB_TIMEOUT_SECONDS });
await workRenewals(boss, deps, log);
await workDunning(boss, deps, log);
await schedulePruning(boss, deps, log, config.AUTH_THROTTLE_WINDOW_SECONDS);
const paymentEvents = listenForPaymentEvents(process.env.DATABASE_URL, deps, log);

let sweeping = false;
const sweep = async () => {
  if (sweeping) return;
  sweeping = true;
  try {
    const n = await sweepDueRenewals(boss, deps);
    if (n) log(`queued ${n} due renewal(s)`);
    const retries = await sweepDunning(boss, deps);
    if (retries) log(`queued ${retries} dunning retr${retries === 1 ? "y" : "ies"}`);
    const chores = await runHousekeeping(await deps());
    if (
      chores.reminders ||
      chores.events ||
      chores.mailed ||
      chores.rewards ||
      chores.alerts.fired ||
      chores.alerts.resolved ||
      chores.webhooks
    )
      log(`housekeeping: ${JSON.stringify(chores)}`);
  } catch (e) {
    console.error("worker: sweep failed:", e instanceof Error ? e.message : e);
  } finally {
    sweeping = false;
  }
};
const timer = setInterval(sweep, config.JOB_SWEEP_SECONDS * 1000);
void sweep();
log(`started (sweep every ${config.JOB_SWEEP_SECONDS}s)`);

// Graceful stop: take no new job, let the current one finish (within SHUTDOWN_GRACE_SECONDS), then close.
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  while (sweeping) await new Promise((r) => setTimeout(r, 50));
  await paymentEvents.stop();
  await boss.stop({ graceful: true, wait: true, timeout: config.SHUTDOWN_GRACE_SECONDS * 1000 }).catch(() => {});
  await database.$disconnect();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
