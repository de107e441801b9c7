import type { Prisma, Tx } from "../db";
import { notify, type NoticeKind } from "../notices";
import type { AlertSettings } from "./settings";
import type { AlertSubject, Reading } from "./thresholds";

export type AlertEventType =
  "quota.threshold_reached" | "quota.threshold_resolved" | "balance.low" | "balance.restored" | "alert.test";

const NOTICE_OF: Record<AlertEventType, NoticeKind> = {
  "quota.threshold_reached": "quota_alert",
  "quota.threshold_resolved": "quota_alert_resolved",
  "balance.low": "balance_low",
  "balance.restored": "balance_restored",
  "alert.test": "alert_test",
};

export function eventTypeOf(subject: AlertSubject, resolved: boolean): AlertEventType {
  if (subject === "balance") return resolved ? "balance.restored" : "balance.low";
  return resolved ? "quota.threshold_resolved" : "quota.threshold_reached";
}

/** The event's facts, as the notice, the e-mail and the webhook body all carry them. */
export function paramsOf(
  subject: AlertSubject,
  threshold: bigint,
  reading: Reading | null,
): Record<string, string | number> {
  const params: Record<string, string | number> = { subject, threshold: threshold.toString() };
  if (subject === "balance") {
    params.thresholdMinor = threshold.toString();
    if (reading?.subject === "balance") {
      params.amountMinor = reading.amountMinor.toString();
      params.currency = reading.windowKey;
    }
  } else if (reading && reading.subject !== "balance") {
    Object.assign(params, { percentage: reading.percentage, used: reading.used, limit: reading.limit });
    if (reading.resetAt) params.resetAt = reading.resetAt.toISOString();
  }
  return params;
}

/**
 * Records one alert on every channel the subscriber chose, in the caller's
 * transaction: the in-app notice (never mailed by the notice outbox, as the
 * alert has its own), the event (its `mailedAt` already set when no e-mail is
 * wanted, so the alert outbox skips it), and a pending webhook delivery.
 */
export async function recordAlert(
  tx: Tx,
  userId: string,
  settings: AlertSettings,
  event: { type: AlertEventType; stateId: string | null; params: Record<string, string | number>; dedupeKey: string },
  now: Date,
) {
  const kind = NOTICE_OF[event.type];
  if (settings.inApp)
    await notify(tx, [{ userId, kind, params: event.params, dedupeKey: event.dedupeKey }], now, { mail: false });
  const created = await tx.alertEvent.create({
    data: {
      userId,
      stateId: event.stateId,
      type: event.type,
      payload: { kind, params: event.params } as Prisma.InputJsonObject,
      createdAt: now,
      mailedAt: settings.byEmail ? null : now,
    },
  });
  if (settings.webhookUrl)
    await tx.webhookDelivery.create({
      data: {
        eventId: created.id,
        userId,
        url: settings.webhookUrl,
        status: "pending",
        nextAttemptAt: now,
        createdAt: now,
        updatedAt: now,
      },
    });
  return created;
}
