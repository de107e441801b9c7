import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyDiscounts, firstOrderDiscounts } from "../../lib/billing/discount";

describe("applyDiscounts", () => {
  it("REF-4: 100.00 with 50 % then 10 % off is 45.00 (lines 50.00 and 5.00)", () => {
    expect(
      applyDiscounts(10000n, [
        { kind: "first_order_discount", bps: 5000 },
        { kind: "referral_discount", bps: 1000 },
      ]),
    ).toEqual({
      totalMinor: 4500n,
      lines: [
        { kind: "first_order_discount", amountMinor: 5000n },
        { kind: "referral_discount", amountMinor: 500n },
      ],
    });
  });

  it("REF-3: each discount is rounded up in the customer's favour (3.33 at 50 % → 1.67 off, pays 1.66)", () => {
    expect(applyDiscounts(333n, [{ kind: "first_order_discount", bps: 5000 }])).toEqual({
      totalMinor: 166n,
      lines: [{ kind: "first_order_discount", amountMinor: 167n }],
    });
  });

  it("REF-3: the second discount applies to what is left after the first, rounded up again", () => {
    // 333 → 50 % (167) → 166 → 10 % (16.6 → 17) → 149
    expect(
      applyDiscounts(333n, [
        { kind: "first_order_discount", bps: 5000 },
        { kind: "referral_discount", bps: 1000 },
      ]),
    ).toEqual({
      totalMinor: 149n,
      lines: [
        { kind: "first_order_discount", amountMinor: 167n },
        { kind: "referral_discount", amountMinor: 17n },
      ],
    });
  });

  it("REF-3: no discounts leave the price as is; a 0 bps discount adds no line", () => {
    expect(applyDiscounts(600n, [])).toEqual({ totalMinor: 600n, lines: [] });
    expect(applyDiscounts(600n, [{ kind: "referral_discount", bps: 0 }])).toEqual({ totalMinor: 600n, lines: [] });
  });

  it("REF-3: a 100 % discount makes the order free", () => {
    expect(applyDiscounts(600n, [{ kind: "promo", bps: 10000 }])).toEqual({
      totalMinor: 0n,
      lines: [{ kind: "promo", amountMinor: 600n }],
    });
  });

  it("REF-3: discounts outside 0–100 % or not whole basis points are refused", () => {
    expect(() => applyDiscounts(600n, [{ kind: "x", bps: 10001 }])).toThrow(RangeError);
    expect(() => applyDiscounts(600n, [{ kind: "x", bps: -1 }])).toThrow(RangeError);
    expect(() => applyDiscounts(600n, [{ kind: "x", bps: 12.5 }])).toThrow(RangeError);
  });

  it("REF-3: discounts never make a price negative and always round in the customer's favour", () => {
    const bps = fc.integer({ min: 0, max: 10000 });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.array(bps, { maxLength: 4 }), (price, list) => {
        const { totalMinor, lines } = applyDiscounts(
          price,
          list.map((b, i) => ({ kind: `d${i}`, bps: b })),
        );
        expect(totalMinor).toBeGreaterThanOrEqual(0n);
        expect(totalMinor + lines.reduce((s, l) => s + l.amountMinor, 0n)).toBe(price);
        expect(lines.length).toBe(list.filter((b) => b > 0).length);
        // Exact (unrounded) price after all discounts is price × Π(10000 − b) ÷ 10000^k.
        const k = BigInt(list.length);
        const scale = 10000n ** k;
        const exactScaled = list.reduce((acc, b) => acc * BigInt(10000 - b), price);
        // Never more than the exact price (customer's favour) …
        expect(totalMinor * scale).toBeLessThanOrEqual(exactScaled);
        // … and less than one minor unit per discount below it (exact when there are none).
        if (k === 0n) expect(totalMinor).toBe(price);
        else expect(totalMinor * scale + k * scale).toBeGreaterThan(exactScaled);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("firstOrderDiscounts", () => {
  it("REF-3: a first order gets the first-order discount", () => {
    expect(firstOrderDiscounts(true, 5000)).toEqual([{ kind: "first_order_discount", bps: 5000 }]);
  });

  it("REF-3: a subscriber who has paid before gets no first-order discount", () => {
    expect(firstOrderDiscounts(false, 5000)).toEqual([]);
  });

  it("REF-3: a first-order discount configured at 0 % adds nothing", () => {
    expect(firstOrderDiscounts(true, 0)).toEqual([]);
  });

  it("REF-4: first order plus referral on 100.00 → 45.00", () => {
    const list = [...firstOrderDiscounts(true, 5000), { kind: "referral_discount", bps: 1000 }];
    expect(applyDiscounts(10000n, list).totalMinor).toBe(4500n);
    const repeat = [...firstOrderDiscounts(false, 5000), { kind: "referral_discount", bps: 1000 }];
    expect(applyDiscounts(10000n, repeat).totalMinor).toBe(9000n);
  });
});
