import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextDunningStep } from "../../lib/billing/dunning-schedule";

const at = (s: string) => new Date(s);
const DAY = 86_400_000;
const retryAtOf = (step: { retryAt: Date } | { lapse: true }) =>
  "retryAt" in step ? step.retryAt.toISOString() : "lapse";

describe("nextDunningStep", () => {
  const dueAt = at("2027-04-01T10:15:00Z");
  const schedule = [1, 3, 5] as const;

  it("SUB-2: with 1/3/5 days, the first failure retries 1 day after the renewal was due", () => {
    expect(nextDunningStep(dueAt, 1, schedule)).toEqual({ retryAt: at("2027-04-02T10:15:00Z") });
  });

  it("SUB-2: the second failure retries 3 days after due (not 3 days after the first retry)", () => {
    expect(nextDunningStep(dueAt, 2, schedule)).toEqual({ retryAt: at("2027-04-04T10:15:00Z") });
  });

  it("SUB-2: the third failure retries 5 days after due", () => {
    expect(nextDunningStep(dueAt, 3, schedule)).toEqual({ retryAt: at("2027-04-06T10:15:00Z") });
  });

  it("SUB-2: the fourth failure, once every retry has failed, lapses the subscription", () => {
    expect(nextDunningStep(dueAt, 4, schedule)).toEqual({ lapse: true });
    expect(nextDunningStep(dueAt, 5, schedule)).toEqual({ lapse: true });
    expect(nextDunningStep(dueAt, 100, schedule)).toEqual({ lapse: true });
  });

  it("SUB-2: dunning starts at the first failure: 0 or fewer failures throw", () => {
    expect(() => nextDunningStep(dueAt, 0, schedule)).toThrow("dunning starts at the first failure");
    expect(() => nextDunningStep(dueAt, -1, schedule)).toThrow("dunning starts at the first failure");
  });

  it("SUB-2: days are whole 24-hour days from the due time, across a month end and a year end", () => {
    expect(retryAtOf(nextDunningStep(at("2027-01-30T23:00:00Z"), 2, schedule))).toBe("2027-02-02T23:00:00.000Z");
    expect(retryAtOf(nextDunningStep(at("2027-12-31T00:00:00Z"), 3, schedule))).toBe("2028-01-05T00:00:00.000Z");
    // 2028 is a leap year.
    expect(retryAtOf(nextDunningStep(at("2028-02-28T12:00:00Z"), 1, schedule))).toBe("2028-02-29T12:00:00.000Z");
  });

  it("SUB-2: a custom schedule [2, 7] retries at +2 and +7 days and lapses on the third failure", () => {
    expect(retryAtOf(nextDunningStep(dueAt, 1, [2, 7]))).toBe("2027-04-03T10:15:00.000Z");
    expect(retryAtOf(nextDunningStep(dueAt, 2, [2, 7]))).toBe("2027-04-08T10:15:00.000Z");
    expect(nextDunningStep(dueAt, 3, [2, 7])).toEqual({ lapse: true });
  });

  it("SUB-2: a one-retry schedule [4] retries once, then lapses", () => {
    expect(retryAtOf(nextDunningStep(dueAt, 1, [4]))).toBe("2027-04-05T10:15:00.000Z");
    expect(nextDunningStep(dueAt, 2, [4])).toEqual({ lapse: true });
  });

  it("SUB-2: an empty schedule lapses on the first failure (no retries)", () => {
    expect(nextDunningStep(dueAt, 1, [])).toEqual({ lapse: true });
  });

  it("SUB-2: the due time itself is not changed by computing a step", () => {
    const due = at("2027-04-01T10:15:00Z");
    nextDunningStep(due, 2, schedule);
    expect(due.toISOString()).toBe("2027-04-01T10:15:00.000Z");
  });

  it("SUB-2: for any increasing schedule, retry times strictly increase with failures, never precede the due time, and lapse after the last", () => {
    const schedules = fc
      .uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 })
      .map((days) => [...days].sort((a, b) => a - b));
    const dues = fc.date({ min: at("2020-01-01T00:00:00Z"), max: at("2040-01-01T00:00:00Z"), noInvalidDate: true });
    fc.assert(
      fc.property(dues, schedules, (due, days) => {
        let previous = due.getTime();
        for (let n = 1; n <= days.length; n++) {
          const step = nextDunningStep(due, n, days);
          if (!("retryAt" in step)) throw new Error(`failure ${n} of ${days.length} lapsed early`);
          expect(step.retryAt.getTime()).toBeGreaterThan(previous);
          expect(step.retryAt.getTime()).toBeGreaterThanOrEqual(due.getTime());
          expect(step.retryAt.getTime() - due.getTime()).toBe(days[n - 1] * DAY);
          previous = step.retryAt.getTime();
        }
        expect(nextDunningStep(due, days.length + 1, days)).toEqual({ lapse: true });
      }),
      { numRuns: 1000 },
    );
  });
});
