import type { Db } from "../db";
import { alertSettingsOf } from "./settings";
import { eventTypeOf, paramsOf, recordAlert } from "./events";
import { readingsOf } from "./readings";
import { transitions, type AlertSubject, type OpenState } from "./thresholds";

// Subscribers whose use moved this recently are looked at; a sweep runs every half minute, so this leaves
// room for a worker that was down a while. Those with open alerts or a low-balance threshold always are.
const LOOKBACK_MS = 15 * 60_000;

async function candidates(database: Db, now: Date): Promise<string[]> {
  const rows = await database.$queryRaw<{ user_id: string }[]>`
    SELECT s."user_id"::text FROM "subscriptions" s
     WHERE s."id" IN (SELECT DISTINCT "subscription_id" FROM "quota_uses" WHERE "at" > ${new Date(now.getTime() - LOOKBACK_MS)})
    UNION SELECT "user_id"::text FROM "alert_states" WHERE "resolved_at" IS NULL
    UNION SELECT "user_id"::text FROM "alert_settings" WHERE "low_balance_minor" IS NOT NULL`;
  return rows.map((r) => r.user_id);
}

/**
 * ALERT-1: derives alerts from recorded use, in the worker, so the decision
 * path pays nothing for them. Each threshold fires once per window: the open
 * state's partial unique index makes a second worker's insert a no-op, and
 * a resolve only counts when it is the one that closed the state.
 */
export async function evaluateAlerts(database: Db, now: Date) {
  let fired = 0;
  let resolved = 0;
  for (const userId of await candidates(database, now)) {
    const settings = await alertSettingsOf(database, userId);
    const readings = await readingsOf(database, userId, settings, now);
    const openRows = await database.alertState.findMany({ where: { userId, resolvedAt: null } });
    const open: OpenState[] = openRows.map((s) => ({
      id: s.id,
      subject: s.subject as AlertSubject,
      threshold: s.threshold,
      windowKey: s.windowKey,
    }));
    for (const step of transitions(readings, settings, open)) {
      await database.$transaction(async (tx) => {
        if (step.kind === "resolve") {
          const closed = await tx.alertState.updateMany({
            where: { id: step.state.id, resolvedAt: null },
            data: { resolvedAt: now },
          });
          if (closed.count === 0 || step.silent) return;
          resolved++;
          const params = paramsOf(step.state.subject, step.state.threshold, step.reading);
          await recordAlert(
            tx,
            userId,
            settings,
            {
              type: eventTypeOf(step.state.subject, true),
              stateId: step.state.id,
              params,
              dedupeKey: `alert:${step.state.id}:resolved`,
            },
            now,
          );
          return;
        }
        const inserted = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO "alert_states" ("id", "user_id", "subject", "threshold", "window_key", "fired_at")
          VALUES (gen_random_uuid(), ${userId}::uuid, ${step.subject}, ${step.threshold}, ${step.windowKey}, ${now})
          ON CONFLICT ("user_id", "subject", "threshold") WHERE "resolved_at" IS NULL DO NOTHING
          RETURNING "id"::text`;
        if (inserted.length === 0) return;
        fired++;
        const stateId = inserted[0].id;
        const params = paramsOf(step.subject, step.threshold, step.reading);
        await recordAlert(
          tx,
          userId,
          settings,
          { type: eventTypeOf(step.subject, false), stateId, params, dedupeKey: `alert:${stateId}:fired` },
          now,
        );
      });
    }
  }
  return { fired, resolved };
}
