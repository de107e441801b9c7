import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { periodAfterRefund } from "../../lib/billing/refund-period";

const at = (s: string) => new Date(s);
const start = at("2027-04-01T00:00:00Z");
const end = at("2027-05-01T00:00:00Z"); // 30 days = 2,592,000 s
const early = at("2027-04-05T00:00:00Z");

describe("periodAfterRefund", () => {
  it("REFUND-1: a full refund ends the subscription now", () => {
    expect(
      periodAfterRefund({ periodStart: start, periodEnd: end, paidMinor: 3000n, refundMinor: 3000n, now: early }),
    ).toEqual({ ends: "now" });
  });

  it("REFUND-1: a refund larger than what was paid also ends it now", () => {
    expect(
      periodAfterRefund({ periodStart: start, periodEnd: end, paidMinor: 3000n, refundMinor: 3001n, now: early }),
    ).toEqual({ ends: "now" });
  });

  it("REFUND-1: refunding 15.00 of 30.00 paid for a 30-day period moves its end 15 days earlier, 15.00 stays paid", () => {
    expect(
      periodAfterRefund({ periodStart: start, periodEnd: end, paidMinor: 3000n, refundMinor: 1500n, now: early }),
    ).toEqual({
      ends: "shortened",
      periodEnd: at("2027-04-16T00:00:00Z"),
      paidMinor: 1500n,
    });
  });

  it("REFUND-1: refunding 10.00 of 30.00 takes exactly 10 days off", () => {
    expect(
      periodAfterRefund({ periodStart: start, periodEnd: end, paidMinor: 3000n, refundMinor: 1000n, now: early }),
    ).toEqual({
      ends: "shortened",
      periodEnd: at("2027-04-21T00:00:00Z"),
      paidMinor: 2000n,
    });
  });

  it("REFUND-1: rounding is in the customer's favour: 0.01 of 70.00 removes ceil(2592000/7000) = 371 s, not 370", () => {
    // 2,592,000 × 1 ÷ 7000 = 370.29 s
    expect(
      periodAfterRefund({ periodStart: start, periodEnd: end, paidMinor: 7000n, refundMinor: 1n, now: early }),
    ).toEqual({
      ends: "shortened",
      periodEnd: at("2027-04-30T23:53:49Z"),
      paidMinor: 6999n,
    });
  });

  it("REFUND-1: 0.01 of 30.00 removes exactly 864 s (no rounding needed, none added)", () => {
    expect(
      periodAfterRefund({ periodStart: start, periodEnd: end, paidMinor: 3000n, refundMinor: 1n, now: early }),
    ).toEqual({
      ends: "shortened",
      periodEnd: at("2027-04-30T23:45:36Z"),
      paidMinor: 2999n,
    });
  });

  it("REFUND-1: 9.99 of 10.00 for a 1-day period keeps only 86 s, not 87 (86,400 × 999 ÷ 1000 = 86,313.6 s removed → 86,314)", () => {
    const s = at("2027-04-01T00:00:00Z");
    const e = at("2027-04-02T00:00:00Z");
    expect(
      periodAfterRefund({
        periodStart: s,
        periodEnd: e,
        paidMinor: 1000n,
        refundMinor: 999n,
        now: at("2027-03-31T00:00:00Z"),
      }),
    ).toEqual({
      ends: "shortened",
      periodEnd: at("2027-04-01T00:01:26Z"),
      paidMinor: 1n,
    });
  });

  it("REFUND-1: a shortened end exactly at now ends the subscription now", () => {
    expect(
      periodAfterRefund({
        periodStart: start,
        periodEnd: end,
        paidMinor: 3000n,
        refundMinor: 1500n,
        now: at("2027-04-16T00:00:00Z"),
      }),
    ).toEqual({
      ends: "now",
    });
  });

  it("REFUND-1: a shortened end already past ends the subscription now", () => {
    expect(
      periodAfterRefund({
        periodStart: start,
        periodEnd: end,
        paidMinor: 3000n,
        refundMinor: 1500n,
        now: at("2027-04-20T00:00:00Z"),
      }),
    ).toEqual({
      ends: "now",
    });
  });

  it("REFUND-1: one second before the shortened end, the period is shortened, not ended", () => {
    expect(
      periodAfterRefund({
        periodStart: start,
        periodEnd: end,
        paidMinor: 3000n,
        refundMinor: 1500n,
        now: at("2027-04-15T23:59:59Z"),
      }),
    ).toEqual({
      ends: "shortened",
      periodEnd: at("2027-04-16T00:00:00Z"),
      paidMinor: 1500n,
    });
  });

  it("REFUND-1: a refund of zero or less throws", () => {
    expect(() =>
      periodAfterRefund({ periodStart: start, periodEnd: end, paidMinor: 3000n, refundMinor: 0n, now: early }),
    ).toThrow("a refund is positive");
    expect(() =>
      periodAfterRefund({ periodStart: start, periodEnd: end, paidMinor: 3000n, refundMinor: -100n, now: early }),
    ).toThrow("a refund is positive");
  });

  // Whole-second periods of 1 s to 400 days, and any refund from 0.01 to more than was paid.
  const cases = fc
    .record({
      startS: fc.integer({ min: 1_700_000_000, max: 2_100_000_000 }),
      lengthS: fc.integer({ min: 1, max: 400 * 86_400 }),
      paid: fc.bigInt({ min: 1n, max: 10_000_000_000n }),
      refundShare: fc.double({ min: 0, max: 1.2, noNaN: true }),
      nowOffsetS: fc.integer({ min: -40 * 86_400, max: 440 * 86_400 }),
    })
    .map(({ startS, lengthS, paid, refundShare, nowOffsetS }) => {
      const refund = BigInt(Math.max(1, Math.floor(Number(paid) * refundShare)));
      return {
        periodStart: new Date(startS * 1000),
        periodEnd: new Date((startS + lengthS) * 1000),
        paidMinor: paid,
        refundMinor: refund,
        now: new Date((startS + nowOffsetS) * 1000),
        lengthS: BigInt(lengthS),
      };
    });

  it("REFUND-1: the new end is never later than the old end: a refund never extends the period", () => {
    fc.assert(
      fc.property(cases, (p) => {
        const r = periodAfterRefund(p);
        if (r.ends === "shortened") {
          expect(r.periodEnd.getTime()).toBeLessThanOrEqual(p.periodEnd.getTime());
          expect(r.periodEnd.getTime()).toBeGreaterThan(p.now.getTime());
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("REFUND-1: the time removed is at least the refunded share (removed/length ≥ refund/paid), by less than one second", () => {
    fc.assert(
      fc.property(cases, (p) => {
        const { lengthS } = p;
        const r = periodAfterRefund(p);
        if (r.ends !== "shortened") return;
        const removedMs = p.periodEnd.getTime() - r.periodEnd.getTime();
        expect(removedMs % 1000).toBe(0);
        const removedS = BigInt(removedMs / 1000);
        // removed / length ≥ refund / paid, in integers
        expect(removedS * p.paidMinor >= lengthS * p.refundMinor).toBe(true);
        // …and one second less would not be (the ceiling, not more)
        expect((removedS - 1n) * p.paidMinor < lengthS * p.refundMinor).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("REFUND-1: what stays paid for the period is what was paid minus the refund", () => {
    fc.assert(
      fc.property(cases, (p) => {
        const r = periodAfterRefund(p);
        const { lengthS } = p;
        if (r.ends === "shortened") {
          expect(p.refundMinor < p.paidMinor).toBe(true);
          expect(r.paidMinor).toBe(p.paidMinor - p.refundMinor);
          expect(r.paidMinor > 0n).toBe(true);
        } else {
          // Ended now: all refunded, or the shortened end is not after now.
          const removedS = (lengthS * p.refundMinor + p.paidMinor - 1n) / p.paidMinor;
          const shortenedEnd = p.periodEnd.getTime() - Number(removedS) * 1000;
          expect(p.refundMinor >= p.paidMinor || shortenedEnd <= p.now.getTime()).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
