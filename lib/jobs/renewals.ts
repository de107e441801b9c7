import type PgBoss from "pg-boss";
import { dueSubscriptionIds, renewSubscription, type BillingDeps } from "../billing";
import { QUEUES } from "./queue";

type Deps = () => Promise<BillingDeps>;

/**
 * Finds subscriptions whose period has ended and queues one renewal job for
 * each. A second sweep before the job ran queues a duplicate at worst, which
 * is harmless: renewals are idempotent by `renewal:<subscription>:<period>`.
 */
export async function sweepDueRenewals(boss: PgBoss, deps: Deps) {
  const ids = await dueSubscriptionIds(await deps());
  for (const id of ids) await boss.send(QUEUES.renew, { subscriptionId: id }, { singletonKey: id });
  return ids.length;
}

/** Runs renewal jobs; a thrown error leaves the job to pg-boss's retry with backoff. */
export async function workRenewals(boss: PgBoss, deps: Deps, log: (line: string) => void) {
  await boss.work<{ subscriptionId: string }>(QUEUES.renew, { batchSize: 5, pollingIntervalSeconds: 1 }, async (jobs) => {
    for (const job of jobs) {
      const outcome = await renewSubscription(await deps(), job.data.subscriptionId);
      log(`renewal ${job.data.subscriptionId}: ${outcome}`);
    }
  });
}
