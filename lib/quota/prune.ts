import type { Db } from "../db";
import { poolOf } from "../db/client";

/** Consumptions are kept this long: beyond every window (the month is the longest) and the 31-day read-outs. */
export const QUOTA_USE_RETENTION_DAYS = 35;
const BATCH = 10_000;

/**
 * Deletes what no window or read-out can see any more (DESIGN.md, hot path):
 * old consumptions and slots whose lease ran out. In batches, so a large
 * backlog never holds locks for long. Usage reports are kept (billing history).
 */
export async function pruneQuota(db: Db, now: Date): Promise<{ uses: number; slots: number }> {
  const pool = poolOf(db);
  const cutoff = new Date(now.getTime() - QUOTA_USE_RETENTION_DAYS * 86_400_000);
  let uses = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM "quota_uses" WHERE ctid IN (SELECT ctid FROM "quota_uses" WHERE "at" < $1 LIMIT ${BATCH})`,
      [cutoff],
    );
    uses += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) break;
  }
  const { rowCount: slots } = await pool.query(`DELETE FROM "quota_slots" WHERE "lease_until" <= $1`, [now]);
  // QUOTA-1: tool calls no loop can answer any more (the tool-loop time is at most a day), and the
  // continuations whose usage reports have long come in.
  const dayAgo = new Date(now.getTime() - 86_400_000);
  await pool.query(`DELETE FROM "gateway_tool_calls" WHERE "issued_at" < $1`, [dayAgo]);
  await pool.query(`DELETE FROM "prompt_continuations" WHERE "at" < $1`, [dayAgo]);
  return { uses, slots: slots ?? 0 };
}
