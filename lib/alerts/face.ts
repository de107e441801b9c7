import { db } from "../db";
import { currencyOfUser } from "./currency";
import { sendOptions } from "./deliveries";
import { alertSettingsOf, saveAlertSettings } from "./settings";
import { deliveriesOf, sendTestWebhook } from "./test-send";

/**
 * What the alert settings screen and its actions call: the running app's
 * database is this context's to hold, so app/ hands it no handle.
 */
export const alertsFor = (userId: string) => ({
  settings: () => alertSettingsOf(db(), userId),
  currency: () => currencyOfUser(db(), userId),
  deliveries: () => deliveriesOf(db(), userId),
  save: (input: Parameters<typeof saveAlertSettings>[2], now: Date) => saveAlertSettings(db(), userId, input, now),
  sendTest: (now: Date) => sendTestWebhook(db(), userId, now),
  allowPrivate: () => sendOptions().allowPrivate,
});
