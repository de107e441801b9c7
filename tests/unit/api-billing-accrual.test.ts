import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accrue, holdMinorFor, MICRO_PER_MINOR } from "../../lib/api-billing/accrual";
import { feeMicroFor } from "../../lib/api-billing/fee";
import { planSettlement, type SettleItem, type State } from "../../lib/api-billing/settle";

const M = MICRO_PER_MINOR;
const at = new Date("2027-01-01T00:00:00Z");

describe("BILL-1 accrual arithmetic", () => {
  it("BILL-1: a fee below a minor unit debits nothing and is carried; the call that crosses a unit debits it", () => {
    expect(accrue(0n, 300_000n)).toEqual({ dueMinor: 0n, carryMicro: 300_000n });
    expect(accrue(900_000n, 300_000n)).toEqual({ dueMinor: 1n, carryMicro: 200_000n });
    expect(accrue(999_999n, 1n)).toEqual({ dueMinor: 1n, carryMicro: 0n });
    expect(accrue(500_000n, 2_800_000n)).toEqual({ dueMinor: 3n, carryMicro: 300_000n });
    expect(accrue(0n, 0n)).toEqual({ dueMinor: 0n, carryMicro: 0n });
  });

  it("BILL-1: a carry outside [0, one minor unit) or a negative fee is refused", () => {
    expect(() => accrue(M, 1n)).toThrow(RangeError);
    expect(() => accrue(-1n, 1n)).toThrow(RangeError);
    expect(() => accrue(0n, -1n)).toThrow(RangeError);
  });

  it("BILL-1: a hold is at least one minor unit: the ceiling of the carry and the most the call can cost", () => {
    expect(holdMinorFor(0n, 0n)).toBe(1n);
    expect(holdMinorFor(0n, 1n)).toBe(1n);
    expect(holdMinorFor(0n, M)).toBe(1n);
    expect(holdMinorFor(0n, M + 1n)).toBe(2n);
    expect(holdMinorFor(0n, 2_800_000n)).toBe(3n);
    expect(holdMinorFor(900_000n, 300_000n)).toBe(2n);
    expect(holdMinorFor(900_000n, 100_000n)).toBe(1n);
  });

  it("BILL-1: a hold covers the whole units the call can debit whatever the carry is by its settlement, and calls in flight together hold at least what they and the carry add up to (property, 2,000 runs)", () => {
    const carryArb = fc.bigInt({ min: 0n, max: M - 1n });
    const feeArb = fc.bigInt({ min: 0n, max: 10n ** 12n });
    fc.assert(
      fc.property(
        carryArb,
        carryArb,
        fc.array(fc.tuple(feeArb, feeArb), { minLength: 1, maxLength: 8 }),
        (carryAtHold, carryAtSettle, calls) => {
          let held = 0n;
          let total = carryAtHold;
          for (const [max, spent] of calls) {
            const fee = spent <= max ? spent : max;
            const hold = holdMinorFor(carryAtHold, max);
            expect(hold >= 1n).toBe(true);
            expect(accrue(carryAtSettle, fee).dueMinor <= hold).toBe(true);
            held += hold;
            total += fee;
          }
          // What is owed (carry and fees) never exceeds what the holds set aside: no call runs on credit.
          expect(held * M >= total).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("BILL-1: over any sequence of calls at any prices, the debits are floor(exact sum) after every call, never more than it and less than one minor unit below (property, 1,000 runs)", () => {
    const call = fc.record({
      input: fc.integer({ min: 0, max: 200_000 }),
      output: fc.integer({ min: 0, max: 20_000 }),
      price: fc.record({
        inputPerMillionMicro: fc.bigInt({ min: 0n, max: 2_000_000_000n }),
        outputPerMillionMicro: fc.bigInt({ min: 0n, max: 2_000_000_000n }),
      }),
    });
    fc.assert(
      fc.property(fc.array(call, { maxLength: 60 }), (calls) => {
        let carry = 0n;
        let debited = 0n;
        let exact = 0n;
        for (const c of calls) {
          const fee = feeMicroFor(c.price, { inputTokens: c.input, outputTokens: c.output, cachedTokens: 0 }, 2000);
          const step = accrue(carry, fee);
          carry = step.carryMicro;
          debited += step.dueMinor;
          exact += fee;
          expect(debited).toBe(exact / M);
          expect(exact - debited * M).toBe(carry);
          expect(carry >= 0n && carry < M).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("BILL-1 settlement plan", () => {
  const user = "00000000-0000-4000-8000-000000000001";
  const item = (requestId: string, feeMicro: bigint): SettleItem => ({
    userId: user,
    requestId,
    keyId: user,
    model: "glm-4.7",
    currency: "USD",
    tokens: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 },
    feeMicro,
    at,
  });
  const state = (cash: bigint, bonus: bigint, carry: bigint | null): State => ({
    settled: [],
    balances: [
      { user_id: user, currency: "USD", kind: "user_cash", balance_minor: String(cash) },
      { user_id: user, currency: "USD", kind: "user_credits", balance_minor: String(bonus) },
    ],
    packs: [],
    holds: [],
    carries: carry === null ? [] : [{ user_id: user, currency: "USD", carry_micro: String(carry) }],
  });

  it("BILL-1, BILL-3: the whole units crossed are split between cash and bonus in proportion; each call keeps its exact fee; the new carry is written", () => {
    const { out, write } = planSettlement(
      [item("a", 700_000n), item("b", 700_000n), item("c", 9_700_000n)],
      state(100n, 100n, 600_000n),
    );
    expect(out.map((o) => o.status === "settled" && [o.feeMicro, o.chargedMinor, o.carryMicro])).toEqual([
      [700_000n, 1n, 300_000n],
      [700_000n, 1n, 0n],
      [9_700_000n, 9n, 700_000n],
    ]);
    const rows = (write as { calls: { fee: bigint; fee_micro: bigint; cash: bigint; bonus: bigint }[] }).calls;
    expect(rows.map((r) => [r.fee, r.fee_micro, r.cash, r.bonus])).toEqual([
      [1n, 700_000n, 0n, 1n],
      [1n, 700_000n, 0n, 1n],
      [9n, 9_700_000n, 4n, 5n],
    ]);
    expect((write as { carries: unknown[] }).carries).toEqual([{ u: user, c: "USD", m: 700_000n, t: at }]);
  });

  it("BILL-1: a call that crosses no whole unit debits nothing and posts nothing, but is recorded with its exact fee", () => {
    const { out, write } = planSettlement([item("a", 1n)], state(0n, 0n, null));
    expect(out[0]).toMatchObject({
      status: "settled",
      feeMicro: 1n,
      chargedMinor: 0n,
      uncollectedMinor: 0n,
      carryMicro: 1n,
    });
    expect((write as { postings: unknown[] }).postings).toEqual([]);
  });
});
