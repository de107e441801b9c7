/**
 * SEC-4: the demo's accounts, whose passwords the README and `npm start`
 * publish. They sign in only in the demo and only from this machine, so a
 * demo left reachable on a network, or a database seeded as a demo and later
 * run for real, never lets a stranger in with a published password.
 * prisma/seed.ts seeds exactly these (a unit test holds the two together).
 */
export const DEMO_ACCOUNT_EMAILS: ReadonlySet<string> = new Set([
  "admin@codeplan.local",
  "alice@example.com",
  "wang.fang@example.cn",
  "bob@example.com",
  "carol@example.com",
  "dave@mailinator.com",
]);

export const isDemoAccount = (email: string) => DEMO_ACCOUNT_EMAILS.has(email.trim().toLowerCase());
