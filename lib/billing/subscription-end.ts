import type { Tx } from "../db";
import { jsonRows } from "../db/json-rows";

export type Ending = { id: string; endedAt: Date; action: string; actorId?: string | null; reason?: string };

/** Ends subscriptions (expired, cancelled in time, lapsed unpaid, refunded, lost dispute), with one audit row each. */
export async function endSubscriptions(tx: Tx, ending: Ending[], now: Date) {
  if (ending.length === 0) return;
  await tx.$executeRaw`UPDATE "subscriptions" s SET "status" = 'expired', "ended_at" = x.ended_at, "scheduled_tier" = NULL,
      "scheduled_cycle" = NULL, "updated_at" = ${now}
    FROM jsonb_to_recordset(${jsonRows(ending.map((e) => ({ id: e.id, ended_at: e.endedAt })))}::jsonb) AS x(id uuid, ended_at timestamptz)
    WHERE s."id" = x.id AND s."status" <> 'expired'`;
  await tx.auditLog.createMany({
    data: ending.map((e) => ({
      actorId: e.actorId ?? null,
      action: e.action,
      subjectType: "subscription",
      subjectId: e.id,
      after: { endedAt: e.endedAt.toISOString(), ...(e.reason && { reason: e.reason }) },
      createdAt: now,
    })),
  });
}
