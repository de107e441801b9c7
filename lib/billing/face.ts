import { db } from "../db";
import { pricingView, subscriptionView } from "./views";

/** Billing's reads for screens that hold no database handle (issue 21), on the running app's database. */
export const subscriptionViewFor = (userId: string, now: Date) => subscriptionView(db(), userId, now);
export const pricingViewFor = (
  ...args: Parameters<typeof pricingView> extends [unknown, ...infer Rest] ? Rest : never
) => pricingView(db(), ...args);
