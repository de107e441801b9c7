import { sendRenewalReminders, type BillingDeps } from "../billing";
import { mailPendingNotices } from "../notices";
import { reprocessStoredEvent, unfinishedEvents } from "../payments/webhooks";

/**
 * The small periodic chores, each idempotent by its own keys, run on every
 * sweep: renewal reminders before the cutoff, the notices' e-mail outbox, and
 * processor events that were stored but not finished (a crash, a failed
 * handler) (PAY-2: stored before acted on, so none is lost).
 */
export async function runHousekeeping(deps: BillingDeps) {
  const reminders = await sendRenewalReminders(deps);
  let events = 0;
  for (const { id } of await unfinishedEvents(deps.db)) if ((await reprocessStoredEvent(deps, id)) === "processed") events += 1;
  const mailed = await mailPendingNotices(deps.db, deps.now);
  return { reminders, events, mailed };
}
