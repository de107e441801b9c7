import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findModel, modelRules, tierMayUse } from "../../lib/quota/models";
import {
  FIVE_HOURS_MS,
  fiveHourReset,
  isPeak,
  monthOf,
  promptCost,
  WEEK_MS,
  weekOf,
  windowState,
} from "../../lib/quota/windows";

const at = (iso: string) => new Date(iso);
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);
const H = 3600_000;
const DAY = 24 * H;
const SHANGHAI = "Asia/Shanghai";

function model(id: string) {
  const m = findModel(modelRules(), id);
  if (!m) throw new Error(`no model ${id} in prisma/catalog.json`);
  return m;
}

describe("QUOTA-2: the rolling 5-hour window", () => {
  const t = at("2027-03-01T02:17:43.123Z");

  it("QUOTA-2: the unit comes back at exactly t + 5 h (nextResetTime of the oldest counted unit)", () => {
    expect(FIVE_HOURS_MS).toBe(18_000_000);
    expect(fiveHourReset(t)).toEqual(at("2027-03-01T07:17:43.123Z"));
    // What the product counts at that moment: tests/integration/quota-consume.test.ts.
  });
});

describe("QUOTA-3: weeks counted in exact 7-day spans from the order time", () => {
  const anchor = at("2027-03-01T02:00:00Z");

  it("QUOTA-3: anchor + 7 days − 1 ms is week 0, anchor + 7 days is week 1", () => {
    expect(WEEK_MS).toBe(604_800_000);
    expect(weekOf(anchor, anchor)).toEqual({ index: 0, start: anchor, end: at("2027-03-08T02:00:00Z") });
    expect(weekOf(anchor, plus(anchor, WEEK_MS - 1))).toEqual({
      index: 0,
      start: anchor,
      end: at("2027-03-08T02:00:00Z"),
    });
    expect(weekOf(anchor, plus(anchor, WEEK_MS))).toEqual({
      index: 1,
      start: at("2027-03-08T02:00:00Z"),
      end: at("2027-03-15T02:00:00Z"),
    });
  });

  it("QUOTA-3: an anchor with odd seconds and milliseconds keeps them in every boundary", () => {
    const odd = at("2027-01-31T23:59:59.987Z");
    expect(weekOf(odd, at("2027-02-07T23:59:59.986Z"))).toEqual({
      index: 0,
      start: odd,
      end: at("2027-02-07T23:59:59.987Z"),
    });
    expect(weekOf(odd, at("2027-02-07T23:59:59.987Z"))).toEqual({
      index: 1,
      start: at("2027-02-07T23:59:59.987Z"),
      end: at("2027-02-14T23:59:59.987Z"),
    });
  });

  it("QUOTA-3: weeks are not calendar weeks and ignore daylight saving (a 2027 anchor in March)", () => {
    // Europe and the US shift clocks in March 2027; the week must still be exactly 168 hours.
    const w = weekOf(at("2027-03-10T12:00:00Z"), at("2027-03-30T00:00:00Z"));
    expect(w).toEqual({ index: 2, start: at("2027-03-24T12:00:00Z"), end: at("2027-03-31T12:00:00Z") });
  });

  it("QUOTA-3: far weeks (years after the anchor) are still exact multiples of 7 days", () => {
    // 10 years later: 3,653 days (three leap days) = 521 weeks + 6 days.
    const w = weekOf(anchor, at("2037-03-01T02:00:00Z"));
    expect(w.index).toBe(521);
    expect(w.start).toEqual(at("2037-02-23T02:00:00Z"));
    expect(w.end).toEqual(at("2037-03-02T02:00:00Z"));
  });

  it("QUOTA-3: an instant before the anchor is week −1 (total function)", () => {
    expect(weekOf(anchor, plus(anchor, -1))).toEqual({ index: -1, start: at("2027-02-22T02:00:00Z"), end: anchor });
  });

  it("QUOTA-3 (property): for any anchor and instant, start ≤ now < end, end − start = 7 days, start = anchor + 7·index days", () => {
    const from = Date.UTC(2000, 0, 1);
    const to = Date.UTC(2100, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), fc.integer({ min: from, max: to }), (a, n) => {
        const w = weekOf(new Date(a), new Date(n));
        expect(w.start.getTime()).toBeLessThanOrEqual(n);
        expect(n).toBeLessThan(w.end.getTime());
        expect(w.end.getTime() - w.start.getTime()).toBe(WEEK_MS);
        expect(w.start.getTime()).toBe(a + w.index * WEEK_MS);
        expect(Number.isInteger(w.index)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("QUOTA-4: the MCP month is the calendar month in Asia/Shanghai", () => {
  it("QUOTA-4: 2027-01-31T15:59:59.999Z is still January in Shanghai, 16:00:00Z is February", () => {
    expect(monthOf(at("2027-01-31T15:59:59.999Z"), SHANGHAI)).toEqual({
      index: 202701,
      start: at("2026-12-31T16:00:00Z"),
      end: at("2027-01-31T16:00:00Z"),
    });
    expect(monthOf(at("2027-01-31T16:00:00Z"), SHANGHAI)).toEqual({
      index: 202702,
      start: at("2027-01-31T16:00:00Z"),
      end: at("2027-02-28T16:00:00Z"),
    });
  });

  it("QUOTA-4: February ends after 28 days in 2027 and after 29 days in the leap year 2028", () => {
    expect(monthOf(at("2027-02-28T15:59:59.999Z"), SHANGHAI).index).toBe(202702);
    expect(monthOf(at("2027-02-28T16:00:00Z"), SHANGHAI)).toEqual({
      index: 202703,
      start: at("2027-02-28T16:00:00Z"),
      end: at("2027-03-31T16:00:00Z"),
    });
    const feb2028 = monthOf(at("2028-02-28T16:00:00Z"), SHANGHAI); // Feb 29 00:00 Shanghai
    expect(feb2028).toEqual({ index: 202802, start: at("2028-01-31T16:00:00Z"), end: at("2028-02-29T16:00:00Z") });
    expect(feb2028.end.getTime() - feb2028.start.getTime()).toBe(29 * DAY);
    expect(monthOf(at("2028-02-29T15:59:59.999Z"), SHANGHAI).index).toBe(202802);
    expect(monthOf(at("2028-02-29T16:00:00Z"), SHANGHAI).index).toBe(202803);
  });

  it("QUOTA-4: December rolls over into January of the next year", () => {
    expect(monthOf(at("2027-12-31T15:59:59.999Z"), SHANGHAI)).toEqual({
      index: 202712,
      start: at("2027-11-30T16:00:00Z"),
      end: at("2027-12-31T16:00:00Z"),
    });
    expect(monthOf(at("2027-12-31T16:00:00Z"), SHANGHAI)).toEqual({
      index: 202801,
      start: at("2027-12-31T16:00:00Z"),
      end: at("2028-01-31T16:00:00Z"),
    });
  });

  it("QUOTA-4: the catalog's MCP month zone is Asia/Shanghai", () => {
    expect(modelRules().mcpMonthTimeZone).toBe(SHANGHAI);
  });

  it("QUOTA-4 (property): for any instant, the month's start ≤ now < end, 28–31 days long, starting at local midnight on the 1st", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2100, 0, 1) }), (n) => {
        const m = monthOf(new Date(n), SHANGHAI);
        expect(m.start.getTime()).toBeLessThanOrEqual(n);
        expect(n).toBeLessThan(m.end.getTime());
        const days = (m.end.getTime() - m.start.getTime()) / DAY;
        expect([28, 29, 30, 31]).toContain(days);
        // Shanghai has been UTC+8 without daylight saving since 1992 (it had DST 1986–91): local midnight on the 1st is 16:00Z the day before.
        const localStart = new Date(m.start.getTime() + 8 * H);
        expect([
          localStart.getUTCDate(),
          localStart.getUTCHours(),
          localStart.getUTCMinutes(),
          localStart.getUTCSeconds(),
          localStart.getUTCMilliseconds(),
        ]).toEqual([1, 0, 0, 0, 0]);
        expect(m.index).toBe(localStart.getUTCFullYear() * 100 + localStart.getUTCMonth() + 1);
        // The next month starts where this one ends.
        expect(monthOf(m.end, SHANGHAI).start).toEqual(m.end);
      }),
      { numRuns: 1000 },
    );
    // Zoned calendar arithmetic (the Temporal polyfill) is slow; the runs, not a deadline, are the point.
  }, 30_000);
});

describe("QUOTA-6: peak time and prompt cost with the catalog's rules", () => {
  const rules = modelRules();

  it("QUOTA-6: the catalog's peak window is 14:00–18:00 Asia/Shanghai", () => {
    expect(rules.peak).toEqual({ timeZone: SHANGHAI, from: "14:00", to: "18:00" });
  });

  it("QUOTA-6: 05:59:59.999Z (13:59:59 Shanghai) is off-peak, 06:00:00Z is peak, 09:59:59.999Z is peak, 10:00:00Z is off-peak", () => {
    expect(isPeak(at("2027-03-01T05:59:59.999Z"), rules.peak)).toBe(false);
    expect(isPeak(at("2027-03-01T06:00:00Z"), rules.peak)).toBe(true);
    expect(isPeak(at("2027-03-01T09:59:59.999Z"), rules.peak)).toBe(true);
    expect(isPeak(at("2027-03-01T10:00:00Z"), rules.peak)).toBe(false);
    // 14:00 UTC is 22:00 in Shanghai: not peak, whatever the server's zone.
    expect(isPeak(at("2027-03-01T14:00:00Z"), rules.peak)).toBe(false);
  });

  it("QUOTA-6: GLM-5 costs 3 prompts at peak and 2 off-peak; GLM-4.7 costs 1 at both", () => {
    const glm5 = model("glm-5");
    const glm47 = model("glm-4.7");
    expect(promptCost(glm5, at("2027-03-01T05:59:59.999Z"), rules.peak)).toBe(2);
    expect(promptCost(glm5, at("2027-03-01T06:00:00Z"), rules.peak)).toBe(3);
    expect(promptCost(glm5, at("2027-03-01T09:59:59.999Z"), rules.peak)).toBe(3);
    expect(promptCost(glm5, at("2027-03-01T10:00:00Z"), rules.peak)).toBe(2);
    expect(promptCost(glm47, at("2027-03-01T06:00:00Z"), rules.peak)).toBe(1);
    expect(promptCost(glm47, at("2027-03-01T10:00:00Z"), rules.peak)).toBe(1);
  });
});

describe("QUOTA-10: one window as the screens and the read-out show it", () => {
  const reset = at("2027-03-01T07:00:00Z");

  it("QUOTA-10: the percentage is rounded down (79 of 80 is 98, 1 of 3 is 33, 1 of 400 is 0)", () => {
    expect(windowState(80, 79, reset)).toStrictEqual({
      limit: 80,
      used: 79,
      remaining: 1,
      percentage: 98,
      resetAt: reset,
    });
    expect(windowState(3, 1, reset).percentage).toBe(33);
    expect(windowState(3, 2, reset).percentage).toBe(66);
    expect(windowState(400, 1, reset).percentage).toBe(0);
    expect(windowState(80, 80, reset)).toStrictEqual({
      limit: 80,
      used: 80,
      remaining: 0,
      percentage: 100,
      resetAt: reset,
    });
  });

  it("QUOTA-10: more used than the limit (after a downgrade) caps the percentage at 100 and never makes remaining negative", () => {
    expect(windowState(80, 400, reset)).toStrictEqual({
      limit: 80,
      used: 400,
      remaining: 0,
      percentage: 100,
      resetAt: reset,
    });
    expect(windowState(80, 81, reset)).toStrictEqual({
      limit: 80,
      used: 81,
      remaining: 0,
      percentage: 100,
      resetAt: reset,
    });
  });

  it("QUOTA-10: resetAt is left out (not null or undefined) when nothing in the window is used", () => {
    const idle = windowState(80, 0, reset);
    expect(idle).toStrictEqual({ limit: 80, used: 0, remaining: 80, percentage: 0 });
    expect("resetAt" in idle).toBe(false);
    expect("resetAt" in windowState(80, 0, null)).toBe(false);
  });

  it("QUOTA-10 (property): remaining = max(0, limit − used), 0 ≤ percentage ≤ 100, all integers", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 200_000 }), (limit, used) => {
        const w = windowState(limit, used, reset);
        expect(w.remaining).toBe(Math.max(0, limit - used));
        expect(Number.isInteger(w.percentage)).toBe(true);
        expect(w.percentage).toBeGreaterThanOrEqual(0);
        expect(w.percentage).toBeLessThanOrEqual(100);
        expect(w.percentage === 100).toBe(used >= limit);
        expect(w.percentage).toBe(Math.min(100, Math.floor((used * 100) / limit)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("QUOTA-5: model ids and tiers", () => {
  it("QUOTA-5: model ids match case-insensitively and around spaces; an unknown id is not found", () => {
    const rules = modelRules();
    expect(findModel(rules, "GLM-4.7")?.id).toBe("glm-4.7");
    expect(findModel(rules, "glm-4.7")?.id).toBe("glm-4.7");
    expect(findModel(rules, " Glm-5 ")?.id).toBe("glm-5");
    expect(findModel(rules, "GLM-4.5-AIR")?.id).toBe("glm-4.5-air");
    expect(findModel(rules, "glm-9")).toBeUndefined();
    expect(findModel(rules, "")).toBeUndefined();
  });

  it("QUOTA-5: GLM-5 is not on Lite but is on Pro and Max; GLM-4.7 is on every tier", () => {
    expect(tierMayUse(model("glm-5"), "lite")).toBe(false);
    expect(tierMayUse(model("glm-5"), "pro")).toBe(true);
    expect(tierMayUse(model("glm-5"), "max")).toBe(true);
    for (const tier of ["lite", "pro", "max"] as const) expect(tierMayUse(model("glm-4.7"), tier)).toBe(true);
  });
});
