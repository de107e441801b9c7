// app/ files that still import lib/db (hand a database handle to lib/, or query it).
// The rule in eslint.config.mjs stops new ones: a file not listed here may not import lib/db.
// Issue 21 item 2 (data access per context: app/ calls a context's public face, which owns
// its handle) empties this list; remove a line as its file stops importing lib/db.
export const APP_FILES_IMPORTING_DB = [
  "app/(account)/billing/page.tsx",
  "app/(account)/dashboard/page.tsx",
  "app/(account)/keys/page.tsx",
  "app/(account)/policy/page.tsx",
  "app/(account)/referrals/page.tsx",
  "app/(account)/subscription/checkout/page.tsx",
  "app/(account)/subscription/page.tsx",
  "app/(account)/wallet/page.tsx",
  "app/(site)/pricing/page.tsx",
  "app/(site)/sign-up/page.tsx",
  "app/admin/audit/page.tsx",
  "app/admin/customers/[id]/page.tsx",
  "app/admin/customers/[id]/receipts/[invoiceId]/route.ts",
  "app/admin/customers/page.tsx",
  "app/admin/page.tsx",
  "app/admin/referrals/page.tsx",
  "app/admin/stock/page.tsx",
  "app/admin/violations/customer-section.tsx",
  "app/admin/violations/home-summary.tsx",
  "app/admin/violations/page.tsx",
  "app/api/billing/export/route.ts",
  "app/api/billing/invoices/[id]/receipt/route.ts",
  "app/api/health/route.ts",
  "app/api/stripe/webhook/route.ts",
  "app/r/[code]/route.ts",
];
