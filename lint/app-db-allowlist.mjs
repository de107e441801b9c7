// app/ files that still import lib/db (hand a database handle to lib/, or query it).
// The rule in eslint.config.mjs stops new ones: a file not listed here may not import lib/db.
// Issue 21 item 2 (data access per context: app/ calls a context's public face, which owns
// its handle) empties this list; remove a line as its file stops importing lib/db.
export const APP_FILES_IMPORTING_DB = [
  "app/(account)/dashboard/actions.ts",
  "app/(account)/keys/actions.ts",
  "app/(account)/policy/actions.ts",
  "app/(account)/referrals/email-invite-action.ts",
  "app/(account)/subscription/invite-actions.ts",
  "app/(account)/wallet/actions.ts",
  "app/(site)/sign-up/actions.ts",
  "app/admin/customers/[id]/actions.ts",
  "app/admin/referrals/actions.ts",
  "app/admin/violations/actions.ts",
];
