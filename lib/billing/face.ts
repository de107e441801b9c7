import { db } from "../db";
import { pricingView, subscriptionView } from "./views";
import { loadCatalog } from "./catalog-load";
import { customerInvoiceOf } from "./customer-invoice";
import { invoiceOf, invoicesOf } from "./history";
import { overdueRenewal } from "./overdue";
import { paymentCurrency } from "./payment-currency";
import { openFlags } from "./payments-view";
import { stockStatus } from "./stock";
import type { StockRules } from "./types";

/** Billing's reads for screens that hold no database handle (issue 21), on the running app's database. */
export const subscriptionViewFor = (userId: string, now: Date) => subscriptionView(db(), userId, now);
export const pricingViewFor = (
  ...args: Parameters<typeof pricingView> extends [unknown, ...infer Rest] ? Rest : never
) => pricingView(db(), ...args);
export const catalogNow = () => loadCatalog(db());
export const invoicesFor = (userId: string) => invoicesOf(db(), userId);
export const invoiceFor = (userId: string, invoiceId: string) => invoiceOf(db(), userId, invoiceId);
export const customerInvoiceFor = (customerId: string, invoiceId: string) =>
  customerInvoiceOf(db(), customerId, invoiceId);
export const overdueRenewalOf = (subscriptionId: string) => overdueRenewal(db(), subscriptionId);
export const openPaymentFlags = () => openFlags(db());
export const stockStatusAt = (now: Date, rules: StockRules) => stockStatus(db(), now, rules);
export const paymentCurrencyFor = (userId: string, paymentId: string) => paymentCurrency(db(), userId, paymentId);
