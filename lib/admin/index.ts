// The admin console's read models (DESIGN.md: one public face per context). Admin writes stay in their own contexts (ledger grants, billing refunds), which audit them.
export { searchCustomers, keyPrefixOf, type CustomerHit } from "./customers";
export { customerView, type CustomerView } from "./customer-view";
export { usageByDay, customerQuota, type UsageDayTotal } from "./customer-usage";
