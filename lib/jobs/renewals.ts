import type PgBoss from "pg-boss";
import { dueSubscriptionIds, renewSubscriptions, type BillingDeps } from "../billing";
import { countOutcomes, QUEUES, sendInBatches } from "./queue";

type Deps = () => Promise<BillingDeps>;

/** Subscriptions per renewal job: one job renews them in a few set-based statements. */
export const RENEWAL_BATCH = 100;

/**
 * Finds subscriptions whose period has ended and queues renewal jobs for them,
 * a batch per job. A second sweep before the jobs ran queues duplicates at
 * worst, which is harmless: renewals are idempotent by
 * `renewal:<subscription>:<period end>`.
 */
export async function sweepDueRenewals(boss: PgBoss, deps: Deps) {
  const ids = await dueSubscriptionIds(await deps(), 10 * RENEWAL_BATCH);
  await sendInBatches(boss, QUEUES.renew, "subscriptionIds", ids, RENEWAL_BATCH);
  return ids.length;
}

/** Runs renewal jobs; a thrown error leaves the job to pg-boss's retry with backoff. */
export async function workRenewals(boss: PgBoss, deps: Deps, log: (line: string) => void) {
  await boss.work<{ subscriptionIds: string[] }>(
    QUEUES.renew,
    { batchSize: 1, pollingIntervalSeconds: 1 },
    async ([job]) => {
      const outcomes = await renewSubscriptions(await deps(), job.data.subscriptionIds);
      log(`renewals: ${JSON.stringify(countOutcomes(outcomes.values()))}`);
    },
  );
}
