import type { Db, Prisma } from "../../db";

/** How long a handler may hold an event before another delivery (or the sweep) may take it over. */
const LEASE_SECONDS = 60;
/** After this many failed runs an event waits for a person (it stays `failed` with its error). */
export const MAX_EVENT_ATTEMPTS = 10;

export type StoredEvent = { id: string; type: string; payload: Prisma.InputJsonValue };

/** Stores an event under its processor id before anything acts on it; a redelivery finds the row there. */
export async function storeEvent(db: Db, provider: string, event: StoredEvent, now: Date) {
  await db.paymentEvent.createMany({
    data: [{ id: event.id, provider, type: event.type, payload: event.payload, status: "received", receivedAt: now }],
    skipDuplicates: true,
  });
}

/**
 * Takes an event for processing, if nobody has it: a new or failed one, or one
 * whose holder's lease ran out (it crashed). The lease runs on the database's
 * own clock, never the movable test clock. One UPDATE, so two concurrent
 * deliveries cannot both take it.
 */
export async function claimEvent(db: Db, id: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "payment_events" SET "status" = 'processing', "attempts" = "attempts" + 1, "locked_until" = now() + make_interval(secs => ${LEASE_SECONDS})
    WHERE "id" = ${id} AND "attempts" < ${MAX_EVENT_ATTEMPTS}
      AND ("status" IN ('received', 'failed') OR ("status" = 'processing' AND "locked_until" < now()))
    RETURNING "id"`;
  return rows.length === 1;
}

export async function finishEvent(db: Db, id: string, now: Date, note: string | null = null) {
  await db.paymentEvent.update({ where: { id }, data: { status: "processed", processedAt: now, lockedUntil: null, lastError: note } });
}

export async function failEvent(db: Db, id: string, error: string) {
  await db.paymentEvent.update({ where: { id }, data: { status: "failed", lockedUntil: null, lastError: error.slice(0, 2000) } });
}

/** Events stored but not processed (a crash, or a handler error): the worker's sweep runs them again. */
export async function unfinishedEvents(db: Db, limit = 100) {
  return db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "payment_events"
    WHERE "attempts" < ${MAX_EVENT_ATTEMPTS}
      AND (("status" IN ('received', 'failed') AND "received_at" < now() - interval '30 seconds')
        OR ("status" = 'processing' AND "locked_until" < now()))
    ORDER BY "received_at" LIMIT ${limit}`;
}
