import { db } from "../db";
import { pricingView, subscriptionView } from "./views";
import { loadCatalog } from "./catalog-load";
import { paymentCurrency } from "./payment-currency";

/** Billing's reads for screens that hold no database handle (issue 21), on the running app's database. */
export const subscriptionViewFor = (userId: string, now: Date) => subscriptionView(db(), userId, now);
export const pricingViewFor = (
  ...args: Parameters<typeof pricingView> extends [unknown, ...infer Rest] ? Rest : never
) => pricingView(db(), ...args);

// The actions' calls (issue 21, item 2 for server actions).
export const appCatalog = () => loadCatalog(db());
export const paymentCurrencyFor = (userId: string, paymentId: string) => paymentCurrency(db(), userId, paymentId);
