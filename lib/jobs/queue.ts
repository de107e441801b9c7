import PgBoss from "pg-boss";

// pg-boss: a Postgres-backed queue (SKIP LOCKED), so jobs live in the same
// database as the money they move and need no other server. Chosen over
// graphile-worker because its current releases still run on Node 20.
export const QUEUES = { renew: "billing.renew", dunning: "billing.dunning" } as const;

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
    await boss.createQueue(name, { name, expireInSeconds: opts.timeoutSeconds, retryLimit: 10, retryDelay: 5, retryBackoff: true });
  return boss;
}
