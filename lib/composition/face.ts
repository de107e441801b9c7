import { appBillingDeps } from "../billing";
import { db } from "../db";
import { stripeWebhookEndpoint } from "../payments/webhooks";
import { billingExportCsv, type ExportType } from "./billing-export";

/**
 * What app/ calls where two contexts meet, on the running app's database
 * (issue 21: app/ hands lib/ no handle).
 */
export const billingExportFor = (userId: string, type: ExportType) => billingExportCsv(db(), userId, type);
/** Stripe's webhook (PAY-2) on the app's database, with billing's effects. */
export const stripeWebhook = stripeWebhookEndpoint(db, appBillingDeps);
