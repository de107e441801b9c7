import { db } from "../db";
import { dashboard } from "./dashboard";
import { adminCallsExport, callsExportResponse } from "./export-response";
import { databaseAnswers } from "./health";
import { appMetricsText } from "./metrics";

/**
 * What the operator's screens and routes call: the running app's database is
 * this context's to hold (issue 21), so app/ hands it no handle.
 */
export const opsDashboard = (now: Date) => dashboard(db(), now);
export const adminCallsExportFor = (adminId: string, params: URLSearchParams, now: Date) =>
  adminCallsExport(db(), adminId, params, now);
export const callsExportFor = (userId: string, params: URLSearchParams) => callsExportResponse(db(), userId, params);
export const metricsText = (now: Date) => appMetricsText(db(), now);
export const databaseUp = () => databaseAnswers(db());
