import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exactFee, feeFor, roundFee } from "../../lib/api-billing/fee";
import { splitFee, type PackBalance } from "../../lib/api-billing/split";

const usd = (perMillionCents: number) => BigInt(Math.round(perMillionCents * 1_000_000));
const price = { inputPerMillionMicro: usd(60), outputPerMillionMicro: usd(220) };
const now = new Date("2027-01-01T00:00:00Z");
const pack = (id: string, remaining: bigint, days: number, created = 0): PackBalance => ({
  id,
  remainingMinor: remaining,
  expiresAt: new Date(now.getTime() + days * 86_400_000),
  createdAt: new Date(now.getTime() - created * 1000),
});

describe("BILL-1 fee per call", () => {
  it("BILL-1: input and output at their prices; 1,000,000 in + 1,000,000 out at 0.60 / 2.20 per million is 2.80", () => {
    expect(feeFor(price, { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedTokens: 0 }, 2000)).toBe(280n);
  });

  it("BILL-1: cached input costs a fifth of the input price (configurable)", () => {
    // 1,000,000 cached of 1,000,000 input: 0.12 instead of 0.60.
    expect(feeFor(price, { inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 1_000_000 }, 2000)).toBe(12n);
    expect(feeFor(price, { inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 1_000_000 }, 5000)).toBe(30n);
    expect(feeFor(price, { inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 500_000 }, 2000)).toBe(36n);
  });

  it("BILL-1: the fee is rounded once, half up, to the minor unit", () => {
    // 8,333 input tokens at 0.60/M = 0.49998 cent → 0; 8,334 = 0.500004 cent → 1.
    expect(feeFor(price, { inputTokens: 8_333, outputTokens: 0, cachedTokens: 0 }, 2000)).toBe(0n);
    expect(feeFor(price, { inputTokens: 8_334, outputTokens: 0, cachedTokens: 0 }, 2000)).toBe(1n);
    // Two half-cent parts add before rounding: rounding each would give 2, once gives 1.
    const half = { inputPerMillionMicro: 500_000n, outputPerMillionMicro: 500_000n };
    expect(feeFor(half, { inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 0 }, 2000)).toBe(1n);
    expect(feeFor(half, { inputTokens: 1_000_000, outputTokens: 1_000_000, cachedTokens: 0 }, 2000)).toBe(1n);
  });

  it("BILL-1: bad token counts are refused, not billed", () => {
    for (const call of [
      { inputTokens: -1, outputTokens: 0, cachedTokens: 0 },
      { inputTokens: 1.5, outputTokens: 0, cachedTokens: 0 },
      { inputTokens: 10, outputTokens: 0, cachedTokens: 11 },
    ])
      expect(() => feeFor(price, call, 2000)).toThrow(RangeError);
  });

  it("BILL-1: the rounded fee is within half a minor unit of the exact fee, and more tokens never cost less (property, 2,000 runs)", () => {
    const n = fc.integer({ min: 0, max: 50_000_000 });
    fc.assert(
      fc.property(n, n, n, fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.integer({ min: 0, max: 10_000 }), (a, o, c, pi, po, ratio) => {
        const input = Math.max(a, c);
        const p = { inputPerMillionMicro: pi, outputPerMillionMicro: po };
        const exact = exactFee(p, { inputTokens: input, outputTokens: o, cachedTokens: c }, ratio);
        const fee = roundFee(exact);
        const D = 10n ** 16n;
        expect(fee * D * 2n >= exact * 2n - D).toBe(true);
        expect(fee * D * 2n < exact * 2n + D + 1n).toBe(true);
        expect(feeFor(p, { inputTokens: input + 1, outputTokens: o, cachedTokens: c }, ratio) >= fee).toBe(true);
        expect(feeFor(p, { inputTokens: input, outputTokens: o + 1, cachedTokens: c }, ratio) >= fee).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("BILL-3 deduction order", () => {
  it("BILL-3: a fee of 10 with equal cash and bonus takes 5 from each", () => {
    expect(splitFee({ feeMinor: 10n, packs: [], cashMinor: 100n, bonusMinor: 100n, now })).toEqual({ packs: [], cashMinor: 5n, bonusMinor: 5n });
  });

  it("BILL-3: the odd minor unit: cash takes floor(f × c ÷ (c + b)), bonus the rest", () => {
    expect(splitFee({ feeMinor: 11n, packs: [], cashMinor: 100n, bonusMinor: 100n, now })).toEqual({ packs: [], cashMinor: 5n, bonusMinor: 6n });
    expect(splitFee({ feeMinor: 10n, packs: [], cashMinor: 300n, bonusMinor: 100n, now })).toEqual({ packs: [], cashMinor: 7n, bonusMinor: 3n });
    expect(splitFee({ feeMinor: 10n, packs: [], cashMinor: 0n, bonusMinor: 100n, now })).toEqual({ packs: [], cashMinor: 0n, bonusMinor: 10n });
  });

  it("BILL-3: packs first, the soonest to expire first; expired and empty packs are skipped", () => {
    const packs = [pack("late", 100n, 30), pack("soon", 30n, 2), pack("expired", 500n, -1), pack("empty", 0n, 1)];
    expect(splitFee({ feeMinor: 50n, packs, cashMinor: 100n, bonusMinor: 0n, now })).toEqual({
      packs: [
        { id: "soon", amountMinor: 30n },
        { id: "late", amountMinor: 20n },
      ],
      cashMinor: 0n,
      bonusMinor: 0n,
    });
    expect(splitFee({ feeMinor: 150n, packs, cashMinor: 10n, bonusMinor: 10n, now })).toEqual({
      packs: [
        { id: "soon", amountMinor: 30n },
        { id: "late", amountMinor: 100n },
      ],
      cashMinor: 10n,
      bonusMinor: 10n,
    });
  });

  it("BILL-3: a fee the packs and balances cannot cover is refused whole", () => {
    expect(splitFee({ feeMinor: 151n, packs: [pack("p", 100n, 5)], cashMinor: 25n, bonusMinor: 25n, now })).toBeNull();
  });

  it("BILL-3: the parts sum to the fee, nothing goes below zero, the split is proportional within one minor unit (property, 2,000 runs)", () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 9n });
    const packArb = fc.array(fc.record({ remaining: amount, days: fc.integer({ min: -5, max: 60 }) }), { maxLength: 5 });
    fc.assert(
      fc.property(amount, packArb, amount, amount, (fee, ps, c, b) => {
        const packs = ps.map((p, i) => pack(`p${i}`, p.remaining, p.days, i));
        const split = splitFee({ feeMinor: fee, packs, cashMinor: c, bonusMinor: b, now });
        const live = packs.filter((p) => p.expiresAt > now).reduce((s, p) => s + p.remainingMinor, 0n);
        if (split === null) {
          expect(fee > live + c + b).toBe(true);
          return;
        }
        const fromPacks = split.packs.reduce((s, p) => s + p.amountMinor, 0n);
        expect(fromPacks + split.cashMinor + split.bonusMinor).toBe(fee);
        for (const p of split.packs) {
          const source = packs.find((x) => x.id === p.id)!;
          expect(p.amountMinor > 0n && p.amountMinor <= source.remainingMinor).toBe(true);
          expect(source.expiresAt > now).toBe(true);
        }
        expect(split.cashMinor >= 0n && split.cashMinor <= c).toBe(true);
        expect(split.bonusMinor >= 0n && split.bonusMinor <= b).toBe(true);
        // Balances are touched only when the packs are used up.
        if (split.cashMinor + split.bonusMinor > 0n) expect(fromPacks).toBe(live);
        // Proportional within one minor unit: cash ≈ rest × c / (c + b).
        const rest = split.cashMinor + split.bonusMinor;
        if (c + b > 0n) {
          const ideal2 = (rest * c * 2n) / (c + b);
          expect(split.cashMinor * 2n <= ideal2 + 2n && split.cashMinor * 2n >= ideal2 - 2n).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("BILL-1 price units", () => {
  it("BILL-1: a price in minor units with up to six decimals becomes exact micro-units", async () => {
    const { toMicro } = await import("../../lib/api-billing/prices");
    expect(toMicro("60")).toBe(60_000_000n);
    expect(toMicro("0.6")).toBe(600_000n);
    expect(toMicro("45.123456")).toBe(45_123_456n);
    expect(() => toMicro("1.1234567")).toThrow(RangeError);
    expect(() => toMicro("-1")).toThrow(RangeError);
  });
});
