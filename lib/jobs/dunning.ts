import type PgBoss from "pg-boss";
import { dunningDueInvoiceIds, retryOverdueRenewals, type BillingDeps } from "../billing";
import { QUEUES } from "./queue";

type Deps = () => Promise<BillingDeps>;
const BATCH = 50;

/**
 * Queues dunning retries whose time has come (SUB-2). A duplicate job is
 * harmless: a retry's charge key carries its number (`…:retry-<n>`), so the
 * processor sees one charge per retry however often the job runs.
 */
export async function sweepDunning(boss: PgBoss, deps: Deps) {
  const d = await deps();
  const ids = await dunningDueInvoiceIds(d.db, d.now, 10 * BATCH);
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    await boss.send(QUEUES.dunning, { invoiceIds: batch }, { singletonKey: `${batch[0]}:${batch.length}` });
  }
  return ids.length;
}

export async function workDunning(boss: PgBoss, deps: Deps, log: (line: string) => void) {
  await boss.work<{ invoiceIds: string[] }>(QUEUES.dunning, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    const outcomes = await retryOverdueRenewals(await deps(), job.data.invoiceIds);
    const counts: Record<string, number> = {};
    for (const o of outcomes.values()) counts[o.status] = (counts[o.status] ?? 0) + 1;
    log(`dunning retries: ${JSON.stringify(counts)}`);
  });
}
