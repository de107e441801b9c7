/**
 * Stripe's test card numbers and the test payment methods they stand for.
 * The local card form (no Stripe.js offline) accepts these and nothing else,
 * so no real card number is ever typed into it.
 */
export const TEST_CARDS: Readonly<Record<string, string>> = {
  "4242424242424242": "pm_card_visa",
  "4000056655665556": "pm_card_visa_debit",
  "5555555555554444": "pm_card_mastercard",
  "4000000000000002": "pm_card_chargeDeclined",
  "4000000000009995": "pm_card_chargeDeclinedInsufficientFunds",
  "4000002760003184": "pm_card_authenticationRequired",
  "4000002500003155": "pm_card_authenticationRequired",
};

export const TEST_CARD_NUMBERS = Object.keys(TEST_CARDS);

export type TestCardError = "card_number_invalid" | "card_not_test_card" | "card_expired" | "card_cvc_invalid";

/** Luhn's checksum: catches a mistyped digit before anything is sent. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * The test payment method for a typed card, or why the card is refused.
 * `now` decides expiry (a card is good through the last day of its month).
 */
export function testPaymentMethodFor(
  card: { number: string; expMonth: number; expYear: number; cvc: string },
  now: Date,
): { ok: true; paymentMethod: string } | { ok: false; error: TestCardError } {
  const digits = card.number.replace(/[\s-]/g, "");
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) return { ok: false, error: "card_number_invalid" };
  const year = card.expYear < 100 ? 2000 + card.expYear : card.expYear;
  if (
    card.expMonth < 1 ||
    card.expMonth > 12 ||
    year * 12 + card.expMonth < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1
  )
    return { ok: false, error: "card_expired" };
  if (!/^\d{3,4}$/.test(card.cvc)) return { ok: false, error: "card_cvc_invalid" };
  const paymentMethod = TEST_CARDS[digits];
  return paymentMethod ? { ok: true, paymentMethod } : { ok: false, error: "card_not_test_card" };
}
