import type { Db } from "../db";

/** The delivery log and closed alerts are kept this long, then go (the notices themselves stay with the user's notices). */
export const ALERT_RETENTION_DAYS = 90;

/**
 * Deletes closed alert states, finished deliveries and the events no delivery
 * or e-mail still needs, once older than the retention. Open states and
 * pending deliveries are never touched, whatever their age.
 */
export async function pruneAlerts(database: Db, now: Date) {
  const cutoff = new Date(now.getTime() - ALERT_RETENTION_DAYS * 86_400_000);
  const deliveries = await database.webhookDelivery.deleteMany({
    where: { createdAt: { lt: cutoff }, status: { not: "pending" } },
  });
  const events = await database.alertEvent.deleteMany({
    where: { createdAt: { lt: cutoff }, mailedAt: { not: null }, deliveries: { none: {} } },
  });
  const states = await database.alertState.deleteMany({ where: { resolvedAt: { lt: cutoff } } });
  return { deliveries: deliveries.count, events: events.count, states: states.count };
}
