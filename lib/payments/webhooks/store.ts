import type { Db } from "../../db";
import { poolOf } from "../../db/client";
import { jsonRows } from "../../db/json-rows";

/** How long a batch may hold its events before another processor (or the sweep) may take them over. */
const LEASE_SECONDS = 60;
/** After this many failed runs an event waits for a person (it stays `failed` with its error). */
export const MAX_EVENT_ATTEMPTS = 10;
/** Events processed together: one set-based pass per event type. */
export const EVENT_BATCH = 200;

/** `json` is the event as received (the raw body), stored as it came. */
export type StoredEvent = { id: string; type: string; json: string };

type Pending = { provider: string; event: StoredEvent; settle: (stored: boolean) => void; fail: (e: unknown) => void };
const queues = new WeakMap<Db, Pending[]>();

/**
 * Stores an event under its processor id, before anything acts on it (PAY-2).
 * Returns false for an id already stored: a redelivery, or the same event
 * arriving twice at once (the second insert finds the first).
 *
 * The webhook's hot path. Events arriving together are written by one
 * multi-row INSERT on the pool under Prisma (see poolOf), so they share one
 * commit; each caller still answers only after its event is durable. The
 * receipt time is the database's, like the leases: when an event arrived is
 * a fact about the wire, not about the test clock.
 */
export function storeEvent(db: Db, provider: string, event: StoredEvent): Promise<boolean> {
  return new Promise((settle, fail) => {
    const queue = queues.get(db);
    if (queue) return void queue.push({ provider, event, settle, fail });
    const fresh: Pending[] = [{ provider, event, settle, fail }];
    queues.set(db, fresh);
    // Gather whatever arrives in the same turn of the event loop, then write it at once.
    setImmediate(() => {
      queues.delete(db);
      void flush(db, fresh);
    });
  });
}

async function flush(db: Db, batch: Pending[]) {
  try {
    const { rows } = await poolOf(db).query<{ id: string }>(
      `INSERT INTO "payment_events" ("id", "provider", "type", "payload", "status", "received_at")
       SELECT x.id, x.provider, x.type, x.payload::jsonb, 'received', now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(id, provider, type, payload)
       ON CONFLICT ("id") DO NOTHING RETURNING "id"`,
      [
        batch.map((b) => b.event.id),
        batch.map((b) => b.provider),
        batch.map((b) => b.event.type),
        batch.map((b) => b.event.json),
      ],
    );
    const inserted = new Set(rows.map((r) => r.id));
    // The same id twice in one batch: the first caller stored it, the other is its duplicate.
    for (const b of batch) b.settle(inserted.delete(b.event.id));
  } catch (e) {
    for (const b of batch) b.fail(e);
  }
}

let wakeScheduled = false;

/**
 * Tells the job worker (LISTEN "payment_events") that events are waiting: at
 * most one notification per 10 ms, sent after the events' inserts committed.
 * A NOTIFY per event would make every webhook's commit queue behind the
 * others (Postgres serialises notifying commits); the payload is nothing,
 * since the worker reads what waits from the table. A lost wake-up costs
 * only latency: the worker's sweep finds the events.
 */
export function wakeWorker(db: Db) {
  if (wakeScheduled) return;
  wakeScheduled = true;
  setTimeout(() => {
    wakeScheduled = false;
    poolOf(db)
      .query(`SELECT pg_notify('payment_events', '')`)
      .catch((e) => console.error("payment events: cannot wake the worker:", e));
  }, 10);
}

export type ClaimFilter =
  /** Just stored, or abandoned by a crashed holder: what a webhook request drains. */
  | { kind: "fresh" }
  /** Also failed ones, received at least `ageSeconds` ago: the worker's sweep. */
  | { kind: "sweep"; ageSeconds: number };

/**
 * Takes up to EVENT_BATCH events for processing. SKIP LOCKED lets several app
 * instances and workers drain side by side without taking the same event;
 * the lease runs on the database's own clock, never the movable test clock.
 */
export async function claimEvents(db: Db, filter: ClaimFilter) {
  const failedToo = filter.kind === "sweep";
  const age = filter.kind === "sweep" ? filter.ageSeconds : 0;
  return db.$queryRaw<{ id: string; type: string; payload: unknown }[]>`
    UPDATE "payment_events" SET "status" = 'processing', "attempts" = "attempts" + 1, "locked_until" = now() + make_interval(secs => ${LEASE_SECONDS})
    WHERE "id" IN (
      SELECT "id" FROM "payment_events"
      WHERE "attempts" < ${MAX_EVENT_ATTEMPTS}
        AND ("status" = 'received' OR ("status" IN ('failed', 'processing') AND "locked_until" < now() AND ("status" = 'processing' OR ${failedToo})))
        AND "received_at" <= now() - make_interval(secs => ${age})
      ORDER BY "received_at" LIMIT ${EVENT_BATCH} FOR UPDATE SKIP LOCKED)
    RETURNING "id", "type", "payload"`;
}

/** Marks events processed (with a note each: what the handler did, or "ignored"). */
export async function finishEvents(db: Db, done: { id: string; note: string }[], now: Date) {
  if (done.length === 0) return;
  await db.$executeRaw`UPDATE "payment_events" e SET "status" = 'processed', "processed_at" = ${now}, "locked_until" = NULL, "last_error" = x.note
    FROM jsonb_to_recordset(${jsonRows(done)}::jsonb) AS x(id text, note text) WHERE e."id" = x.id`;
}

/** A handler threw: the sweep tries again after a backoff that grows with the attempts (30 s, 60 s, …). */
export async function failEvent(db: Db, id: string, error: string) {
  await db.$executeRaw`UPDATE "payment_events" SET "status" = 'failed', "last_error" = ${error.slice(0, 2000)},
    "locked_until" = now() + make_interval(secs => 30 * "attempts") WHERE "id" = ${id}`;
}
