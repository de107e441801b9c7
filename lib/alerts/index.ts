// ALERT-1: thresholds per window and for a low balance, told in the app, by e-mail and by a signed webhook.
export {
  alertSettingsOf,
  saveAlertSettings,
  settingsInput,
  DEFAULT_SETTINGS,
  MAX_THRESHOLDS,
  type AlertSettings,
} from "./settings";
export { evaluateAlerts } from "./evaluate";
export { mailPendingAlerts } from "./mail-outbox";
export { deliverDueWebhooks, sendOptions, RETRY_DELAYS_MS } from "./deliveries";
export { sendTestWebhook, deliveriesOf, type TestSendResult } from "./test-send";
export { checkTarget, isPublicAddress } from "./webhook-target";
export { currencyOfUser } from "./currency";
export { alertsFor } from "./face";
export { pruneAlerts, ALERT_RETENTION_DAYS } from "./prune";
