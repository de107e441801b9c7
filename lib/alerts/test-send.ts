import type { Db } from "../db";
import { deliverNow, sendOptions } from "./deliveries";
import type { SendOptions } from "./webhook-send";
import { recordAlert } from "./events";
import { alertSettingsOf } from "./settings";

export type TestSendResult =
  | { ok: true; delivered: boolean; status: number | null; error: string | null }
  | { ok: false; error: "webhook_not_set" };

/**
 * The "send test" button: one signed `alert.test` message to the saved URL,
 * tried at once so the answer shows on the screen; a failure stays in the
 * delivery log and is retried like any other.
 */
export async function sendTestWebhook(
  database: Db,
  userId: string,
  now: Date,
  opts: SendOptions = sendOptions(),
): Promise<TestSendResult> {
  const settings = await alertSettingsOf(database, userId);
  if (!settings.webhookUrl) return { ok: false, error: "webhook_not_set" };
  const event = await database.$transaction((tx) =>
    recordAlert(
      tx,
      userId,
      { ...settings, inApp: false, byEmail: false },
      { type: "alert.test", stateId: null, params: { subject: "test" }, dedupeKey: "" },
      now,
    ),
  );
  const delivery = await database.webhookDelivery.findFirstOrThrow({ where: { eventId: event.id } });
  await deliverNow(database, delivery.id, now, opts);
  const after = await database.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
  return { ok: true, delivered: after.status === "delivered", status: after.lastStatus, error: after.lastError };
}

/** The delivery log the settings screen shows, newest first. */
export function deliveriesOf(database: Db, userId: string, take = 20) {
  return database.webhookDelivery.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take,
    include: { event: { select: { type: true } } },
  });
}
