import type PgBoss from "pg-boss";
import { dueSubscriptionIds, renewSubscriptions, type BillingDeps } from "../billing";
import { QUEUES } from "./queue";

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
  for (let i = 0; i < ids.length; i += RENEWAL_BATCH) {
    const batch = ids.slice(i, i + RENEWAL_BATCH);
    await boss.send(QUEUES.renew, { subscriptionIds: batch }, { singletonKey: `${batch[0]}:${batch.length}` });
  }
  return ids.length;
}

/** Runs renewal jobs; a thrown error leaves the job to pg-boss's retry with backoff. */
export async function workRenewals(boss: PgBoss, deps: Deps, log: (line: string) => void) {
  await boss.work<{ subscriptionIds: string[] }>(QUEUES.renew, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    const outcomes = await renewSubscriptions(await deps(), job.data.subscriptionIds);
    const counts: Record<string, number> = {};
    for (const o of outcomes.values()) counts[o] = (counts[o] ?? 0) + 1;
    log(`renewals: ${JSON.stringify(counts)}`);
  });
}
