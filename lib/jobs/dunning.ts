import type PgBoss from "pg-boss";
import { dunningDueInvoiceIds, retryOverdueRenewals, type BillingDeps } from "../billing";
import { countOutcomes, QUEUES, sendInBatches } from "./queue";

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
  await sendInBatches(boss, QUEUES.dunning, "invoiceIds", ids, BATCH);
  return ids.length;
}

export async function workDunning(boss: PgBoss, deps: Deps, log: (line: string) => void) {
  await boss.work<{ invoiceIds: string[] }>(
    QUEUES.dunning,
    { batchSize: 1, pollingIntervalSeconds: 1 },
    async ([job]) => {
      const outcomes = await retryOverdueRenewals(await deps(), job.data.invoiceIds);
      log(`dunning retries: ${JSON.stringify(countOutcomes([...outcomes.values()].map((o) => o.status)))}`);
    },
  );
}
