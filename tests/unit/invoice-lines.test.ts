import { describe, expect, it } from "vitest";
import { planDeduction } from "../../lib/billing/deduction";
import { planSaleLines, splitInvoiceLines } from "../../lib/billing/invoice-draft";

const sum = (lines: { amountMinor: bigint }[]) => lines.reduce((s, l) => s + l.amountMinor, 0n);

describe("invoice lines", () => {
  it("WALLET-1: a card-minimum excess is shown with the payments, and the payments add up to the total plus that excess", () => {
    const deduction = planDeduction({
      amountMinor: 3000n,
      creditsMinor: 1000n,
      cashMinor: 1980n,
      cardMinimumMinor: 50n,
    });
    const lines = planSaleLines({ priceMinor: 3000n, discounts: [], deduction });
    expect(sum(lines)).toBe(0n);
    const { charges, payments } = splitInvoiceLines(lines);
    expect(charges.map((l) => l.kind)).toEqual(["plan"]);
    expect(payments.map((l) => [l.kind, l.amountMinor])).toEqual([
      ["credits_applied", 1000n],
      ["cash_applied", 1980n],
      ["card_charged", 50n],
      ["excess_to_cash", 30n],
    ]);
  });

  it("SUB-4: unused value beyond the new price goes with the charges, so that they add up to the total of zero", () => {
    const deduction = planDeduction({ amountMinor: 0n, creditsMinor: 0n, cashMinor: 0n, cardMinimumMinor: 50n });
    const lines = planSaleLines({
      priceMinor: 3000n,
      discounts: [],
      unusedMinor: 3500n,
      excessUnusedMinor: 500n,
      deduction,
    });
    expect(sum(lines)).toBe(0n);
    const { charges, payments } = splitInvoiceLines(lines);
    expect(charges.map((l) => [l.kind, l.amountMinor])).toEqual([
      ["plan", 3000n],
      ["proration_credit", -3500n],
      ["excess_to_cash", 500n],
    ]);
    expect(sum(charges)).toBe(0n);
    expect(payments).toEqual([]);
  });
});
