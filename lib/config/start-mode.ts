/**
 * SEC-4: which way CodePlan is started, judged from the raw environment
 * before any default applies. The demo (demo accounts, the development
 * mailbox, the movable clock, the local Stripe-compatible server, the local
 * model responder) is what the quick start runs: no DATABASE_URL, so an
 * embedded Postgres of its own. A real database without an explicit APP_ENV
 * is refused rather than guessed: guessing "demo" would publish the demo
 * admin's password and a mailbox that reads anyone's sign-in link.
 */
export type StartMode = { ok: true; demo: boolean } | { ok: false; message: string };

export function startMode(raw: Record<string, string | undefined>): StartMode {
  const appEnv = raw.APP_ENV?.trim();
  if (!appEnv && raw.DATABASE_URL?.trim())
    return {
      ok: false,
      message:
        "DATABASE_URL is set but APP_ENV is not, so it is unclear whether this is the demo or a real deployment. " +
        "Set APP_ENV=production to run for real (no demo accounts, development mailbox, movable clock, local Stripe server or local model responder), " +
        "or APP_ENV=development to run the demo on that database.",
    };
  return { ok: true, demo: appEnv !== "production" };
}

/** What `npm start` prints when the demo runs, so nobody mistakes it for a deployment. */
export const DEMO_BANNER = [
  "DEMO MODE: demo accounts with published passwords, the development mailbox (/dev/mailbox), the movable clock,",
  "the local Stripe-compatible server and the local model responder are on. They answer only on this machine (loopback).",
  'For a real deployment set APP_ENV=production and DATABASE_URL (README, "Running for real").',
].join("\n  ");
