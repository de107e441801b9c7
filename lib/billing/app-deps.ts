import { appClock } from "../clock";
import { db } from "../db";
import { paymentPort } from "../payments";
import type { BillingDeps } from "./deps";

/** The running app's billing dependencies: its database, its clock's now, its payment port. */
export async function appBillingDeps(): Promise<BillingDeps> {
  return { db: db(), now: await appClock().now(), port: paymentPort() };
}
