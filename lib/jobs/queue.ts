import PgBoss from "pg-boss";

// pg-boss: a Postgres-backed queue (SKIP LOCKED), so jobs live in the same
// database as the money they move and need no other server. Chosen over
// graphile-worker because its current releases still run on Node 20.
export const QUEUES = { renew: "billing.renew", dunning: "billing.dunning", prune: "housekeeping.prune" } as const;

export type QueueOptions = { databaseUrl: string; timeoutSeconds: number; onError?: (e: Error) => void };

/**
 * Opens the queue (creating its `pgboss` schema on first use). A job whose
 * worker died stays "active" until `timeoutSeconds` pass; the maintenance
 * pass then fails it and pg-boss retries it with backoff.
 */
export async function openQueue(opts: QueueOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: opts.databaseUrl,
    schema: "pgboss",
    maintenanceIntervalSeconds: Math.max(1, Math.min(30, Math.floor(opts.timeoutSeconds / 2))),
    max: 4,
  });
  boss.on("error", opts.onError ?? ((e) => console.error("job queue:", e.message)));
  await boss.start();
  for (const name of Object.values(QUEUES))
    await boss.createQueue(name, {
      name,
      expireInSeconds: opts.timeoutSeconds,
      retryLimit: 10,
      retryDelay: 5,
      retryBackoff: true,
    });
  return boss;
}

/**
 * Queues ids as jobs of `size` each. The singleton key makes a second sweep
 * before the jobs ran add no copies of the same batch; a differently cut batch
 * is harmless, as every job here is idempotent by its domain keys.
 */
export async function sendInBatches(boss: PgBoss, queue: string, field: string, ids: string[], size: number) {
  for (let i = 0; i < ids.length; i += size) {
    const batch = ids.slice(i, i + size);
    await boss.send(queue, { [field]: batch }, { singletonKey: `${batch[0]}:${batch.length}` });
  }
}

/** How many of each outcome a job had, for its log line. */
export function countOutcomes(outcomes: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}
