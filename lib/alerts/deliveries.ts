import { env } from "../config/env";
import type { Db } from "../db";
import { sendWebhook, type SendOptions } from "./webhook-send";

/** Retry delays after each failed attempt; after the last the delivery is given up (and says so in the log). */
export const RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000];
// A claimed delivery whose worker died is tried again after this long.
const CLAIM_LEASE_MS = 60_000;

export function sendOptions(): SendOptions {
  const config = env();
  return { allowPrivate: config.ALERT_WEBHOOK_ALLOW_PRIVATE === "1", timeoutMs: config.ALERT_WEBHOOK_TIMEOUT_MS };
}

type Claimed = {
  id: string;
  event_id: string;
  type: string;
  payload: { kind: string; params: Record<string, unknown> };
  attempts: number;
  url: string;
  secret: string | null;
};

/** Tries one claimed delivery and records the attempt: delivered, or the next try, or given up. */
async function attempt(database: Db, d: Claimed, now: Date, opts: SendOptions) {
  const outcome = d.secret
    ? await sendWebhook(d.url, d.secret, { id: d.event_id, type: d.type, data: d.payload.params }, opts)
    : { delivered: false, error: "webhook_removed" };
  const attempts = d.attempts + 1;
  const delay = RETRY_DELAYS_MS[attempts - 1];
  const giveUp = !outcome.delivered && (delay === undefined || !d.secret);
  await database.webhookDelivery.update({
    where: { id: d.id },
    data: {
      attempts,
      status: outcome.delivered ? "delivered" : giveUp ? "failed" : "pending",
      lastStatus: outcome.status ?? null,
      lastError: outcome.error ?? null,
      deliveredAt: outcome.delivered ? now : null,
      nextAttemptAt: outcome.delivered || giveUp ? null : new Date(now.getTime() + delay),
      updatedAt: now,
    },
  });
  return outcome.delivered;
}

async function claim(database: Db, now: Date, where: { id?: string; limit: number }) {
  return database.$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT "id" FROM "webhook_deliveries"
       WHERE "status" = 'pending' AND "next_attempt_at" <= ${now} AND (${where.id ?? null}::uuid IS NULL OR "id" = ${where.id ?? null}::uuid)
       ORDER BY "next_attempt_at" LIMIT ${where.limit} FOR UPDATE SKIP LOCKED)
    UPDATE "webhook_deliveries" d SET "next_attempt_at" = ${new Date(now.getTime() + CLAIM_LEASE_MS)}
      FROM due, "alert_events" e LEFT JOIN "alert_settings" s ON s."user_id" = e."user_id"
     WHERE d."id" = due."id" AND e."id" = d."event_id"
    RETURNING d."id"::text, d."event_id"::text, e."type", e."payload", d."attempts", d."url", s."webhook_secret" AS "secret"`;
}

/**
 * ALERT-1's webhook channel: due deliveries are claimed with SKIP LOCKED and
 * a lease (a worker killed mid-send leaves the row to be tried again after
 * the lease, so a receiver may see a message twice — the webhook-id header
 * is what it dedupes by, as the Standard Webhooks scheme expects).
 */
export async function deliverDueWebhooks(database: Db, now: Date, opts: SendOptions = sendOptions(), limit = 50) {
  let delivered = 0;
  for (const d of await claim(database, now, { limit })) if (await attempt(database, d, now, opts)) delivered++;
  return delivered;
}

/** The "send test" button's delivery, tried at once so the subscriber sees the answer. */
export async function deliverNow(database: Db, deliveryId: string, now: Date, opts: SendOptions = sendOptions()) {
  const [d] = await claim(database, now, { id: deliveryId, limit: 1 });
  return d ? attempt(database, d, now, opts) : false;
}
