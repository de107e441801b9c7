import type PgBoss from "pg-boss";
import type { Db } from "../db";
import { pruneAnonymous } from "./prune-anonymous";
import { QUEUES } from "./queue";

/**
 * Hourly, at minute 17 (off the hour, when reports and other crons bunch up).
 * The tables grow by requests, not by the clock, so an hour's growth is small
 * enough for a few bounded DELETEs; a backlog is cleared over several runs.
 */
export const PRUNE_CRON = "17 * * * *";

type Deps = () => Promise<{ db: Db; now: Date }>;

/**
 * Registers the pruning of what anonymous requests write on pg-boss's cron:
 * the schedule lives in the database, so however many workers run, each hour
 * makes one job and one worker runs it (REL-2). Retention is judged at the
 * app clock's now, so a moved test clock prunes as the real one would.
 */
export async function schedulePruning(
  boss: PgBoss,
  deps: Deps,
  log: (line: string) => void,
  throttleWindowSeconds: number,
) {
  await boss.schedule(QUEUES.prune, PRUNE_CRON, {}, { singletonKey: "prune" });
  await boss.work(QUEUES.prune, { batchSize: 1, pollingIntervalSeconds: 30 }, async () => {
    const { db, now } = await deps();
    const pruned = await pruneAnonymous(db, now, { throttleWindowSeconds });
    log(`pruned: ${JSON.stringify(pruned)}`);
  });
}
