import { createHash } from "node:crypto";
import { base62 } from "./new-id";

/** What a test card does when it is set up or charged. */
export type CardBehaviour = "succeed" | "decline" | "insufficient_funds" | "authentication_required";

export type TestCard = {
  brand: "visa" | "mastercard";
  last4: string;
  country: string;
  behaviour: CardBehaviour;
};

/** Stripe's test PaymentMethod tokens (https://docs.stripe.com/testing), with the card numbers they stand for. */
export const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { brand: "visa", last4: "4242", country: "US", behaviour: "succeed" },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", country: "US", behaviour: "succeed" },
  pm_card_chargeDeclined: { brand: "visa", last4: "0002", country: "US", behaviour: "decline" },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: "visa",
    last4: "9995",
    country: "US",
    behaviour: "insufficient_funds",
  },
  pm_card_authenticationRequired: { brand: "visa", last4: "3184", country: "US", behaviour: "authentication_required" },
};

export function isTestCardToken(id: string): boolean {
  return Object.hasOwn(TEST_CARDS, id);
}

/**
 * Stripe gives one card number the same fingerprint everywhere, which is how
 * apps spot a card reused across accounts. Derive it from the card so it is
 * stable across runs and restarts.
 */
export function cardFingerprint(card: TestCard): string {
  const digest = createHash("sha256").update(`stripe-local:${card.brand}:${card.last4}`).digest();
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  return Array.from(digest.subarray(0, 16), (b) => alphabet[b % 62]).join("");
}

/** A random suffix for client secrets (`pi_…_secret_…`). */
export function secretSuffix(): string {
  return base62(25);
}
