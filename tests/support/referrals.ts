import { randomInt, randomUUID } from "node:crypto";
import { sightingOf, type Sighting } from "../../lib/referrals";
import { setupStripeWorld } from "./stripe-world";

/** Shared by the referral integration tests: a fresh database and a local Stripe server, with billing deps at any moment. */
export const setupReferralWorld = setupStripeWorld;

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
