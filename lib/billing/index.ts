// The billing context's public face (DESIGN.md): the flows, quotes and read models the app calls.
export { subscribe } from "./subscribe";
export { upgrade } from "./upgrade";
export { schedulePlanChange } from "./plan-schedule";
export { cancelSubscription, resumeSubscription } from "./cancel";
export {
  renewSubscription,
  renewSubscriptions,
  dueSubscriptionIds,
  retryOverdueRenewals,
  type RenewalOutcome,
} from "./renew";
export { dunningDueInvoiceIds } from "./dunning";
export { recordChargeResults, payInvoiceCard, LATE_PAYMENT_CREDITED } from "./checkout";
export { paymentFailure } from "./payment-failure";
export { refundPayment, syncProcessorRefunds } from "./refund";
export { recordDispute, type DisputeReport } from "./disputes";
export { sendRenewalReminders } from "./reminders";
export { topUp } from "./top-up";
export { loadCatalog } from "./catalog-load";
export { payMethodsOf, recurringWalletsOf } from "./pay-methods";
export { readCatalogFile } from "./catalog-file";
export { stockStatus } from "./stock";
export { BillingError, type BillingErrorCode } from "./errors";
export type { BillingDeps } from "./deps";
export type { PaymentOutcome } from "./checkout";
export * from "./types";
export { appBillingDeps } from "./app-deps";
export { quotePurchase, type Quote } from "./quotes";
export { pricingView, subscriptionView } from "./views";
export { invoicesOf, invoiceOf, creditNotesOf, creditNoteOf } from "./history";
export { invoiceLabel } from "./document-number";
export { overdueRenewal, payOverdue } from "./overdue";
export { cardPaymentsOf, openFlags } from "./payments-view";
export { expireAbandonedPayments } from "./abandoned";
