import { randomInt, randomUUID } from "node:crypto";
import { beforeAll } from "vitest";
import type { BillingDeps } from "../../lib/billing";
import { sightingOf, type Sighting } from "../../lib/referrals";
import { setupFreshDatabase } from "./database";
import { localStripePort, setupLocalStripe, WEBHOOK_SECRET } from "./stripe";

/** Shared by the referral integration tests: a fresh database and a local Stripe server, with billing deps at any moment. */
export function setupReferralWorld() {
  const t = setupFreshDatabase();
  const local = setupLocalStripe();
  beforeAll(() => {
    // The webhook route reads these (through env()) on its first request.
    process.env.APP_ENV = "test";
    process.env.STRIPE_LOCAL_URL = local.url;
    process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
  });
  const deps = (now: Date): BillingDeps => ({ db: t.db, now, port: localStripePort(t.db, local, () => now) });
  return { t, local, deps };
}

export const RETURN_URL = "http://localhost:3000/payments/return?next=%2Fsubscription";
export const H = 3_600_000;
export const later = (d: Date, ms: number) => new Date(d.getTime() + ms);

/** A visitor on a network and device of their own, so the fraud rules stay quiet unless a test wants them. */
export function somewhere(): Sighting {
  return sightingOf({
    ip: `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`,
    device: randomUUID().replaceAll("-", ""),
  });
}
