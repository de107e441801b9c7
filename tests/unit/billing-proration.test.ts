import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quoteUpgrade, unusedValue } from "../../lib/billing/proration";

const at = (s: string) => new Date(s);

describe("unusedValue", () => {
  const start = at("2027-04-01T00:00:00Z");
  const end = at("2027-05-01T00:00:00Z"); // 30 days

  it("SUB-4: Lite paid 6.00 for 04-01 → 05-01, at 04-11 the unused value is 4.00 (20/30)", () => {
    expect(unusedValue(600n, start, end, at("2027-04-11T00:00:00Z"))).toBe(400n);
  });

  it("SUB-4: paid 10.00 with exactly 1/3 of the period left → 3.34 (rounded up)", () => {
    // 30-day period, 10 days left.
    expect(unusedValue(1000n, start, end, at("2027-04-21T00:00:00Z"))).toBe(334n);
  });

  it("SUB-4: paid 10.00 with 2/3 of the period left → 6.67 (rounded up, not 6.66)", () => {
    expect(unusedValue(1000n, start, end, at("2027-04-11T00:00:00Z"))).toBe(667n);
  });

  it("SUB-4: the unused value is 0 at the period end and equals what was paid at its start", () => {
    expect(unusedValue(600n, start, end, end)).toBe(0n);
    expect(unusedValue(600n, start, end, start)).toBe(600n);
  });

  it("SUB-4: outside the period the unused value stays within 0 and what was paid", () => {
    expect(unusedValue(600n, start, end, at("2027-06-01T00:00:00Z"))).toBe(0n);
    expect(unusedValue(600n, start, end, at("2027-03-01T00:00:00Z"))).toBe(600n);
  });

  it("SUB-4: proration is to the second — one second in, the customer still gets the full value rounded up", () => {
    // 600 × (2592000 − 1) ÷ 2592000 = 599.99977 → 600
    expect(unusedValue(600n, start, end, at("2027-04-01T00:00:01Z"))).toBe(600n);
    // One second before the end: 600 × 1 ÷ 2592000 → rounds up to 1
    expect(unusedValue(600n, start, end, at("2027-04-30T23:59:59Z"))).toBe(1n);
  });

  it("SUB-4: nothing paid means nothing to credit", () => {
    expect(unusedValue(0n, start, end, at("2027-04-11T00:00:00Z"))).toBe(0n);
  });
});

describe("quoteUpgrade", () => {
  it("SUB-4: Lite 6.00 → Pro 30.00 at 04-11: unused 4.00, charge 26.00, nothing to cash", () => {
    expect(
      quoteUpgrade({
        paidMinor: 600n,
        periodStart: at("2027-04-01T00:00:00Z"),
        periodEnd: at("2027-05-01T00:00:00Z"),
        newPriceMinor: 3000n,
        now: at("2027-04-11T00:00:00Z"),
      }),
    ).toEqual({ unusedMinor: 400n, creditAppliedMinor: 400n, chargeMinor: 2600n, excessToCashMinor: 0n });
  });

  it("SUB-4: when the unused value exceeds the new price, the charge is 0 and the excess goes to cash", () => {
    // Paid a yearly 600.00; upgrading halfway through to a 200.00 monthly plan.
    expect(
      quoteUpgrade({
        paidMinor: 60000n,
        periodStart: at("2027-01-01T00:00:00Z"),
        periodEnd: at("2027-01-31T00:00:00Z"), // 30 days
        newPriceMinor: 20000n,
        now: at("2027-01-16T00:00:00Z"), // 15 days left
      }),
    ).toEqual({ unusedMinor: 30000n, creditAppliedMinor: 20000n, chargeMinor: 0n, excessToCashMinor: 10000n });
  });

  it("SUB-4: unused value exactly equal to the new price: charge 0, excess 0", () => {
    expect(
      quoteUpgrade({
        paidMinor: 600n,
        periodStart: at("2027-04-01T00:00:00Z"),
        periodEnd: at("2027-05-01T00:00:00Z"),
        newPriceMinor: 400n,
        now: at("2027-04-11T00:00:00Z"),
      }),
    ).toEqual({ unusedMinor: 400n, creditAppliedMinor: 400n, chargeMinor: 0n, excessToCashMinor: 0n });
  });
});

// Periods and "now" anywhere in 2020–2040, to the millisecond.
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2040, 0, 1);
const instant = fc.integer({ min: FROM, max: TO });
const period = fc
  .tuple(instant, fc.integer({ min: 1, max: 400 * 86400_000 }))
  .map(([s, len]) => ({ periodStart: new Date(s), periodEnd: new Date(s + len) }));
const paid = fc.bigInt({ min: 0n, max: 10n ** 12n });

describe("proration (properties)", () => {
  it("SUB-4: the credit for unused time never exceeds what was paid for it", () => {
    fc.assert(
      fc.property(paid, period, instant, (paidMinor, { periodStart, periodEnd }, nowMs) => {
        const u = unusedValue(paidMinor, periodStart, periodEnd, new Date(nowMs));
        expect(u).toBeGreaterThanOrEqual(0n);
        expect(u).toBeLessThanOrEqual(paidMinor);
        if (nowMs >= periodEnd.getTime()) expect(u).toBe(0n);
        if (nowMs <= periodStart.getTime()) expect(u).toBe(paidMinor);
      }),
      { numRuns: 1000 },
    );
  });

  it("SUB-4: the unused value is paid × remaining ÷ period in whole seconds, rounded up", () => {
    // Whole-second periods and instants, as the app produces them.
    const sec = fc.integer({ min: FROM / 1000, max: TO / 1000 });
    fc.assert(
      fc.property(
        paid,
        sec,
        fc.integer({ min: 1, max: 400 * 86400 }),
        fc.integer({ min: 0, max: 400 * 86400 }),
        (paidMinor, s, len, into) => {
          const elapsed = Math.min(into, len);
          const u = unusedValue(
            paidMinor,
            new Date(s * 1000),
            new Date((s + len) * 1000),
            new Date((s + elapsed) * 1000),
          );
          const num = paidMinor * BigInt(len - elapsed);
          const den = BigInt(len);
          // u is the smallest integer with u × den ≥ num.
          expect(u * den >= num).toBe(true);
          expect(u === 0n || (u - 1n) * den < num).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("SUB-4: credit plus charge equals the new price", () => {
    fc.assert(
      fc.property(
        paid,
        period,
        instant,
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (paidMinor, { periodStart, periodEnd }, nowMs, newPriceMinor) => {
          const q = quoteUpgrade({ paidMinor, periodStart, periodEnd, newPriceMinor, now: new Date(nowMs) });
          expect(q.unusedMinor).toBe(unusedValue(paidMinor, periodStart, periodEnd, new Date(nowMs)));
          expect(q.creditAppliedMinor + q.chargeMinor).toBe(newPriceMinor);
          expect(q.creditAppliedMinor + q.excessToCashMinor).toBe(q.unusedMinor);
          expect(q.creditAppliedMinor).toBeGreaterThanOrEqual(0n);
          expect(q.chargeMinor).toBeGreaterThanOrEqual(0n);
          expect(q.excessToCashMinor).toBeGreaterThanOrEqual(0n);
          // Only one of charge and excess can be positive.
          expect(q.chargeMinor === 0n || q.excessToCashMinor === 0n).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
