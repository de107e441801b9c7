import { db } from "../db";
import { searchCustomers } from "./customers";
import { customerView } from "./customer-view";
import { usageByDay } from "./customer-usage";

/**
 * What the admins' customer screens call: the running app's database is this
 * context's to hold (issue 21), so app/ hands it no handle.
 */
export const customerSearch = (query: string, limit: number) => searchCustomers(db(), query, limit);
export const customerViewOf = (userId: string) => customerView(db(), userId);
export const customerUsageByDay = (userId: string, now: Date, timeZone: string, days: number) =>
  usageByDay(db(), userId, now, timeZone, days);
