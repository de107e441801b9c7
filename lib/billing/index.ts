// The billing context's public face (DESIGN.md): the flows, quotes and read models the app calls.
export { subscribe } from "./subscribe";
export { upgrade } from "./upgrade";
export { schedulePlanChange } from "./plan-schedule";
export { cancelSubscription, resumeSubscription } from "./cancel";
export { renewSubscription, dueSubscriptionIds, type RenewalOutcome } from "./renew";
export { topUp } from "./top-up";
export { loadCatalog } from "./catalog-load";
export { syncCatalog } from "./catalog-sync";
export { readCatalogFile } from "./catalog-file";
export { stockStatus } from "./stock";
export { BillingError, type BillingErrorCode } from "./errors";
export type { BillingDeps } from "./deps";
export type { PaymentOutcome } from "./checkout";
export * from "./types";
