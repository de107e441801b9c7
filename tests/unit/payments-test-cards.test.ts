import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { luhnValid, TEST_CARD_NUMBERS, TEST_CARDS, testPaymentMethodFor } from "../../lib/payments/stripe/test-cards";

/**
 * The local card form (PAY-1: saving a card, maybe through 3-D Secure) takes
 * Stripe's test card numbers only, and refuses a mistyped or expired card
 * before anything reaches the processor.
 */

const now = new Date("2026-11-23T12:00:00Z");
const card = (number: string, over: Partial<{ expMonth: number; expYear: number; cvc: string }> = {}) => ({
  number,
  expMonth: 12,
  expYear: 2030,
  cvc: "123",
  ...over,
});

/** The Luhn check digit that completes `body`. */
function checkDigit(body: string): number {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return d;
  throw new Error(`no check digit for ${body}`);
}

describe("luhnValid", () => {
  it("PAY-1: Stripe's test numbers and 4111 1111 1111 1111 pass Luhn's checksum", () => {
    for (const n of [...TEST_CARD_NUMBERS, "4111111111111111", "378282246310005"]) expect(luhnValid(n), n).toBe(true);
  });

  it("PAY-1: one mistyped digit fails Luhn's checksum", () => {
    expect(luhnValid("4242424242424241")).toBe(false);
    expect(luhnValid("4242424242424243")).toBe(false);
    expect(luhnValid("4242424242424252")).toBe(false);
    expect(luhnValid("5242424242424242")).toBe(false);
  });

  it("PAY-1: the check digit of 7992739871 is 3 (the textbook example)", () => {
    expect(checkDigit("7992739871")).toBe(3);
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("79927398710")).toBe(false);
  });
});

describe("testPaymentMethodFor", () => {
  it("PAY-1: every listed test number maps to its Stripe test payment method", () => {
    // The form's own table, read rather than copied: a number added there is checked here too.
    const expected = TEST_CARDS;
    expect([...TEST_CARD_NUMBERS].sort()).toEqual(Object.keys(expected).sort());
    for (const [number, paymentMethod] of Object.entries(expected))
      expect(testPaymentMethodFor(card(number), now), number).toEqual({ ok: true, paymentMethod });
  });

  it("PAY-1: 4242… is pm_card_visa, typed with spaces, dashes or both", () => {
    for (const n of ["4242 4242 4242 4242", "4242-4242-4242-4242", " 4242 4242-4242 4242 ", "4242424242424242"])
      expect(testPaymentMethodFor(card(n), now), n).toEqual({ ok: true, paymentMethod: "pm_card_visa" });
  });

  it("PAY-1: the decline, insufficient-funds and 3-D Secure test numbers keep their meaning", () => {
    expect(testPaymentMethodFor(card("4000 0000 0000 0002"), now)).toEqual({
      ok: true,
      paymentMethod: "pm_card_chargeDeclined",
    });
    expect(testPaymentMethodFor(card("4000 0000 0000 9995"), now)).toEqual({
      ok: true,
      paymentMethod: "pm_card_chargeDeclinedInsufficientFunds",
    });
    expect(testPaymentMethodFor(card("4000 0027 6000 3184"), now)).toEqual({
      ok: true,
      paymentMethod: "pm_card_authenticationRequired",
    });
  });

  it("PAY-1: a number failing Luhn's checksum is card_number_invalid", () => {
    expect(testPaymentMethodFor(card("4242424242424241"), now)).toEqual({ ok: false, error: "card_number_invalid" });
    expect(testPaymentMethodFor(card("4000000000000003"), now)).toEqual({ ok: false, error: "card_number_invalid" });
  });

  it("PAY-1: letters, too few or too many digits are card_number_invalid", () => {
    for (const n of ["", "4242 4242 4242 424a", "42424242424", "4242.4242.4242.4242", "42424242424242424242"])
      expect(testPaymentMethodFor(card(n), now), JSON.stringify(n)).toEqual({
        ok: false,
        error: "card_number_invalid",
      });
  });

  it("PAY-1: a Luhn-valid number that is not a test card (4111 1111 1111 1111) is card_not_test_card", () => {
    expect(TEST_CARD_NUMBERS).not.toContain("4111111111111111");
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(testPaymentMethodFor(card("4111 1111 1111 1111"), now)).toEqual({ ok: false, error: "card_not_test_card" });
    // Stripe's Amex test number is real Stripe test data, but not on the local list.
    expect(testPaymentMethodFor(card("378282246310005", { cvc: "1234" }), now)).toEqual({
      ok: false,
      error: "card_not_test_card",
    });
  });

  it("PAY-1: on 2026-11-23 a card expiring 11/26 is still good, through the last day of its month", () => {
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 11, expYear: 26 }), now)).toEqual({
      ok: true,
      paymentMethod: "pm_card_visa",
    });
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 11, expYear: 2026 }), now)).toEqual({
      ok: true,
      paymentMethod: "pm_card_visa",
    });
    const lastMoment = new Date("2026-11-30T23:59:59.999Z");
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 11, expYear: 26 }), lastMoment)).toEqual({
      ok: true,
      paymentMethod: "pm_card_visa",
    });
  });

  it("PAY-1: on 2026-11-23 a card expiring 10/26 (last month) is card_expired, with a 2- or 4-digit year", () => {
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 10, expYear: 26 }), now)).toEqual({
      ok: false,
      error: "card_expired",
    });
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 10, expYear: 2026 }), now)).toEqual({
      ok: false,
      error: "card_expired",
    });
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 12, expYear: 25 }), now)).toEqual({
      ok: false,
      error: "card_expired",
    });
  });

  it("PAY-1: the month after expiry (12/26 on 2026-12-01 for 11/26) the card is card_expired", () => {
    expect(
      testPaymentMethodFor(card("4242424242424242", { expMonth: 11, expYear: 26 }), new Date("2026-12-01T00:00:00Z")),
    ).toEqual({
      ok: false,
      error: "card_expired",
    });
  });

  it("PAY-1: 12/26 and 01/27 are good on 2026-11-23 (a later month, a later year)", () => {
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 12, expYear: 26 }), now)).toEqual({
      ok: true,
      paymentMethod: "pm_card_visa",
    });
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 1, expYear: 27 }), now)).toEqual({
      ok: true,
      paymentMethod: "pm_card_visa",
    });
  });

  it("PAY-1: month 0 or 13 is refused (as card_expired: there is no separate 'bad month' error)", () => {
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 13, expYear: 2030 }), now)).toEqual({
      ok: false,
      error: "card_expired",
    });
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 0, expYear: 2030 }), now)).toEqual({
      ok: false,
      error: "card_expired",
    });
  });

  it("PAY-1: a CVC of 3 or 4 digits is accepted, anything else is card_cvc_invalid", () => {
    for (const cvc of ["123", "000", "1234"])
      expect(testPaymentMethodFor(card("4242424242424242", { cvc }), now), cvc).toEqual({
        ok: true,
        paymentMethod: "pm_card_visa",
      });
    for (const cvc of ["", "12", "12345", "12a", " 123", "1 23"])
      expect(testPaymentMethodFor(card("4242424242424242", { cvc }), now), JSON.stringify(cvc)).toEqual({
        ok: false,
        error: "card_cvc_invalid",
      });
  });

  it("PAY-1: a mistyped number is reported before an expired date or a bad CVC", () => {
    expect(testPaymentMethodFor(card("4242424242424241", { expMonth: 1, expYear: 20, cvc: "x" }), now)).toEqual({
      ok: false,
      error: "card_number_invalid",
    });
    expect(testPaymentMethodFor(card("4242424242424242", { expMonth: 1, expYear: 20, cvc: "x" }), now)).toEqual({
      ok: false,
      error: "card_expired",
    });
  });

  it("PAY-1: any 16-digit number with a wrong check digit is refused as card_number_invalid", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."0123456789".split("")), minLength: 15, maxLength: 15 }),
        fc.integer({ min: 1, max: 9 }),
        (body, offset) => {
          const wrong = (checkDigit(body) + offset) % 10;
          const number = `${body}${wrong}`;
          expect(luhnValid(number)).toBe(false);
          expect(testPaymentMethodFor(card(number), now)).toEqual({ ok: false, error: "card_number_invalid" });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("PAY-1: any 16-digit number with the right check digit is never card_number_invalid", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."0123456789".split("")), minLength: 15, maxLength: 15 }),
        (body) => {
          const number = `${body}${checkDigit(body)}`;
          const result = testPaymentMethodFor(card(number), now);
          expect(result).toEqual(
            TEST_CARD_NUMBERS.includes(number)
              ? { ok: true, paymentMethod: expect.any(String) }
              : { ok: false, error: "card_not_test_card" },
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
