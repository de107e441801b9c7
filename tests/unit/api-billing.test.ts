import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { feeMicroFor } from "../../lib/api-billing/fee";
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
  // A call's fee in micro-units of the minor unit (micro-cents here): exact, never rounded to a cent on its own.
  const micro = (
    tokens: { inputTokens: number; outputTokens: number; cachedTokens: number },
    ratio = 2000,
    p = price,
  ) => feeMicroFor(p, tokens, ratio);

  it("BILL-1: input and output at their prices; 1,000,000 in + 1,000,000 out at 0.60 / 2.20 per million is 2.80", () => {
    expect(micro({ inputTokens: 1_000_000, outputTokens: 1_000_000, cachedTokens: 0 })).toBe(280_000_000n);
  });

  it("BILL-1: cached input costs a fifth of the input price (configurable)", () => {
    // 1,000,000 cached of 1,000,000 input: 0.12 instead of 0.60.
    expect(micro({ inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 1_000_000 })).toBe(12_000_000n);
    expect(micro({ inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 1_000_000 }, 5000)).toBe(30_000_000n);
    expect(micro({ inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 500_000 })).toBe(36_000_000n);
  });

  it("BILL-1: a call's fee is exact to the micro-unit, so a call worth less than half a cent is not free (it was 0 when each call was rounded to the cent)", () => {
    // 8,333 input tokens at 0.60/M = 0.49998 cent; one token of output = 0.00022 cent.
    expect(micro({ inputTokens: 8_333, outputTokens: 0, cachedTokens: 0 })).toBe(499_980n);
    expect(micro({ inputTokens: 0, outputTokens: 1, cachedTokens: 0 })).toBe(220n);
    // A price finer than a micro-unit per token rounds up to the micro-unit: a call that cost anything costs at least one.
    const fine = { inputPerMillionMicro: 1n, outputPerMillionMicro: 0n };
    expect(micro({ inputTokens: 1, outputTokens: 0, cachedTokens: 0 }, 2000, fine)).toBe(1n);
    expect(micro({ inputTokens: 1_000_001, outputTokens: 0, cachedTokens: 0 }, 2000, fine)).toBe(2n);
    expect(micro({ inputTokens: 0, outputTokens: 0, cachedTokens: 0 })).toBe(0n);
  });

  it("BILL-1: bad token counts are refused, not billed", () => {
    for (const call of [
      { inputTokens: -1, outputTokens: 0, cachedTokens: 0 },
      { inputTokens: 1.5, outputTokens: 0, cachedTokens: 0 },
      { inputTokens: 10, outputTokens: 0, cachedTokens: 11 },
    ])
      expect(() => micro(call)).toThrow(RangeError);
  });

  it("BILL-1: the micro fee is the exact fee rounded up by less than one micro-unit, and more tokens never cost less (property, 2,000 runs)", () => {
    const n = fc.integer({ min: 0, max: 50_000_000 });
    fc.assert(
      fc.property(
        n,
        n,
        n,
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.integer({ min: 0, max: 10_000 }),
        (a, o, c, pi, po, ratio) => {
          const input = Math.max(a, c);
          const p = { inputPerMillionMicro: pi, outputPerMillionMicro: po };
          // The exact fee in micro-units, times 10^10 (a million tokens per price unit, 10,000 basis points).
          const exact10 = BigInt(input - c) * pi * 10_000n + BigInt(c) * pi * BigInt(ratio) + BigInt(o) * po * 10_000n;
          const fee = micro({ inputTokens: input, outputTokens: o, cachedTokens: c }, ratio, p);
          expect(fee * 10n ** 10n >= exact10).toBe(true);
          expect(fee * 10n ** 10n < exact10 + 10n ** 10n).toBe(true);
          expect(micro({ inputTokens: input + 1, outputTokens: o, cachedTokens: c }, ratio, p) >= fee).toBe(true);
          expect(micro({ inputTokens: input, outputTokens: o + 1, cachedTokens: c }, ratio, p) >= fee).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("BILL-3 deduction order", () => {
  it("BILL-3: a fee of 10 with equal cash and bonus takes 5 from each", () => {
    expect(splitFee({ feeMinor: 10n, packs: [], cashMinor: 100n, bonusMinor: 100n, now })).toEqual({
      packs: [],
      cashMinor: 5n,
      bonusMinor: 5n,
    });
  });

  it("BILL-3: the odd minor unit: cash takes floor(f × c ÷ (c + b)), bonus the rest", () => {
    expect(splitFee({ feeMinor: 11n, packs: [], cashMinor: 100n, bonusMinor: 100n, now })).toEqual({
      packs: [],
      cashMinor: 5n,
      bonusMinor: 6n,
    });
    expect(splitFee({ feeMinor: 10n, packs: [], cashMinor: 300n, bonusMinor: 100n, now })).toEqual({
      packs: [],
      cashMinor: 7n,
      bonusMinor: 3n,
    });
    expect(splitFee({ feeMinor: 10n, packs: [], cashMinor: 0n, bonusMinor: 100n, now })).toEqual({
      packs: [],
      cashMinor: 0n,
      bonusMinor: 10n,
    });
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
    const packArb = fc.array(fc.record({ remaining: amount, days: fc.integer({ min: -5, max: 60 }) }), {
      maxLength: 5,
    });
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
