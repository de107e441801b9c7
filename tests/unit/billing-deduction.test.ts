import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planDeduction } from "../../lib/billing/deduction";

describe("planDeduction", () => {
  it("WALLET-1: price 30.00, credits 10.00, cash 19.80, minimum 0.50 → card 0.50 of which 0.30 goes to cash", () => {
    const plan = planDeduction({ amountMinor: 3000n, creditsMinor: 1000n, cashMinor: 1980n, cardMinimumMinor: 50n });
    expect(plan).toEqual({ creditsMinor: 1000n, cashMinor: 1980n, cardMinor: 50n, excessToCashMinor: 30n });
    // The cash balance ends at 19.80 − 19.80 + 0.30 = 0.30.
    expect(1980n - plan.cashMinor + plan.excessToCashMinor).toBe(30n);
  });

  it("WALLET-1: credits are used before cash", () => {
    expect(planDeduction({ amountMinor: 500n, creditsMinor: 800n, cashMinor: 800n, cardMinimumMinor: 50n })).toEqual({
      creditsMinor: 500n,
      cashMinor: 0n,
      cardMinor: 0n,
      excessToCashMinor: 0n,
    });
    expect(planDeduction({ amountMinor: 500n, creditsMinor: 200n, cashMinor: 800n, cardMinimumMinor: 50n })).toEqual({
      creditsMinor: 200n,
      cashMinor: 300n,
      cardMinor: 0n,
      excessToCashMinor: 0n,
    });
  });

  it("WALLET-1: cash is used before the card", () => {
    expect(planDeduction({ amountMinor: 3000n, creditsMinor: 0n, cashMinor: 1000n, cardMinimumMinor: 50n })).toEqual({
      creditsMinor: 0n,
      cashMinor: 1000n,
      cardMinor: 2000n,
      excessToCashMinor: 0n,
    });
  });

  it("WALLET-1: a zero amount takes nothing from anywhere", () => {
    expect(planDeduction({ amountMinor: 0n, creditsMinor: 1000n, cashMinor: 1000n, cardMinimumMinor: 50n })).toEqual({
      creditsMinor: 0n,
      cashMinor: 0n,
      cardMinor: 0n,
      excessToCashMinor: 0n,
    });
  });

  it("WALLET-1: a remainder exactly at the card minimum is charged as is, with no excess", () => {
    expect(planDeduction({ amountMinor: 3000n, creditsMinor: 1000n, cashMinor: 1950n, cardMinimumMinor: 50n })).toEqual(
      {
        creditsMinor: 1000n,
        cashMinor: 1950n,
        cardMinor: 50n,
        excessToCashMinor: 0n,
      },
    );
  });

  it("WALLET-1: a remainder one unit under the minimum is raised to it, the 1 unit goes to cash", () => {
    expect(planDeduction({ amountMinor: 3000n, creditsMinor: 1000n, cashMinor: 1951n, cardMinimumMinor: 50n })).toEqual(
      {
        creditsMinor: 1000n,
        cashMinor: 1951n,
        cardMinor: 50n,
        excessToCashMinor: 1n,
      },
    );
  });

  it("WALLET-1: an amount the wallet covers exactly charges the card nothing", () => {
    expect(planDeduction({ amountMinor: 3000n, creditsMinor: 1000n, cashMinor: 2000n, cardMinimumMinor: 50n })).toEqual(
      {
        creditsMinor: 1000n,
        cashMinor: 2000n,
        cardMinor: 0n,
        excessToCashMinor: 0n,
      },
    );
  });

  it("WALLET-1: with an empty wallet the card pays everything", () => {
    expect(planDeduction({ amountMinor: 600n, creditsMinor: 0n, cashMinor: 0n, cardMinimumMinor: 50n })).toEqual({
      creditsMinor: 0n,
      cashMinor: 0n,
      cardMinor: 600n,
      excessToCashMinor: 0n,
    });
  });

  it("WALLET-1: a negative amount is refused", () => {
    expect(() => planDeduction({ amountMinor: -1n, creditsMinor: 0n, cashMinor: 0n, cardMinimumMinor: 50n })).toThrow(
      RangeError,
    );
  });
});

describe("planDeduction (property)", () => {
  it("WALLET-1: no deduction plan ever takes a balance below zero", () => {
    const money = fc.bigInt({ min: 0n, max: 10n ** 9n });
    const small = fc.bigInt({ min: 0n, max: 5000n });
    fc.assert(
      fc.property(
        fc.oneof(money, small),
        fc.oneof(money, small),
        fc.oneof(money, small),
        fc.bigInt({ min: 0n, max: 1000n }),
        (amountMinor, creditsMinor, cashMinor, cardMinimumMinor) => {
          const p = planDeduction({ amountMinor, creditsMinor, cashMinor, cardMinimumMinor });
          for (const v of Object.values(p)) expect(v).toBeGreaterThanOrEqual(0n);
          expect(p.creditsMinor).toBeLessThanOrEqual(creditsMinor);
          expect(p.cashMinor).toBeLessThanOrEqual(cashMinor);
          expect(cashMinor - p.cashMinor + p.excessToCashMinor).toBeGreaterThanOrEqual(0n);
          expect(p.creditsMinor + p.cashMinor + p.cardMinor - p.excessToCashMinor).toBe(amountMinor);
          expect(p.cardMinor === 0n || p.cardMinor >= cardMinimumMinor).toBe(true);
          // Order: cash only once credits are exhausted, card only once cash is.
          if (p.cashMinor > 0n) expect(p.creditsMinor).toBe(creditsMinor);
          if (p.cardMinor > 0n) expect(p.cashMinor).toBe(cashMinor);
          // Excess only comes from raising a remainder to the minimum.
          if (p.excessToCashMinor > 0n) expect(p.cardMinor).toBe(cardMinimumMinor);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
