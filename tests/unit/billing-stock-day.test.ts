import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stockDay } from "../../lib/billing/stock-day";
import type { StockRules } from "../../lib/billing/types";

const at = (s: string) => new Date(s);
const rules: StockRules = { dailyPerTier: 5, releaseHour: 10, releaseMinute: 0, timeZone: "Asia/Shanghai" };
const iso = (d: { dayStart: Date; nextRelease: Date }) => ({
  dayStart: d.dayStart.toISOString(),
  nextRelease: d.nextRelease.toISOString(),
});

describe("stockDay", () => {
  it("SUB-8: at 09:59:59 Shanghai (01:59:59Z) the stock day is still yesterday's, released 2027-04-30 10:00", () => {
    expect(iso(stockDay(at("2027-05-01T01:59:59Z"), rules))).toEqual({
      dayStart: "2027-04-30T02:00:00.000Z",
      nextRelease: "2027-05-01T02:00:00.000Z",
    });
  });

  it("SUB-8: one millisecond before 10:00 Shanghai is still the previous stock day", () => {
    expect(stockDay(at("2027-05-01T01:59:59.999Z"), rules).dayStart.toISOString()).toBe("2027-04-30T02:00:00.000Z");
  });

  it("SUB-8: at exactly 10:00 Shanghai (02:00:00Z) a new stock day starts", () => {
    expect(iso(stockDay(at("2027-05-01T02:00:00Z"), rules))).toEqual({
      dayStart: "2027-05-01T02:00:00.000Z",
      nextRelease: "2027-05-02T02:00:00.000Z",
    });
  });

  it("SUB-8: Shanghai midnight (16:00Z the UTC day before) belongs to the stock day released the morning before", () => {
    // 2027-04-30T16:00Z is 2027-05-01 00:00 in Shanghai.
    expect(iso(stockDay(at("2027-04-30T16:00:00Z"), rules))).toEqual({
      dayStart: "2027-04-30T02:00:00.000Z",
      nextRelease: "2027-05-01T02:00:00.000Z",
    });
    // 2027-05-01 23:59:59 Shanghai.
    expect(iso(stockDay(at("2027-05-01T15:59:59Z"), rules))).toEqual({
      dayStart: "2027-05-01T02:00:00.000Z",
      nextRelease: "2027-05-02T02:00:00.000Z",
    });
  });

  it("SUB-8: stock days cross month and year ends on the Shanghai calendar", () => {
    expect(iso(stockDay(at("2027-01-01T01:00:00Z"), rules))).toEqual({
      dayStart: "2026-12-31T02:00:00.000Z",
      nextRelease: "2027-01-01T02:00:00.000Z",
    });
    expect(iso(stockDay(at("2028-02-29T03:00:00Z"), rules))).toEqual({
      dayStart: "2028-02-29T02:00:00.000Z",
      nextRelease: "2028-03-01T02:00:00.000Z",
    });
  });

  it("SUB-8: the release time is configurable (10:30)", () => {
    const r = { ...rules, releaseMinute: 30 };
    expect(iso(stockDay(at("2027-05-01T02:29:59Z"), r))).toEqual({
      dayStart: "2027-04-30T02:30:00.000Z",
      nextRelease: "2027-05-01T02:30:00.000Z",
    });
    expect(stockDay(at("2027-05-01T02:30:00Z"), r).dayStart.toISOString()).toBe("2027-05-01T02:30:00.000Z");
  });

  it("SUB-8: any instant lies in exactly one 24-hour stock day that starts at 10:00 Shanghai", () => {
    const DAY = 86400_000;
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
        const { dayStart, nextRelease } = stockDay(new Date(ms), rules);
        expect(dayStart.getTime()).toBeLessThanOrEqual(ms);
        expect(ms).toBeLessThan(nextRelease.getTime());
        expect(nextRelease.getTime() - dayStart.getTime()).toBe(DAY);
        // 10:00 in UTC+8 is 02:00Z.
        expect(dayStart.getTime() % DAY).toBe(2 * 3600_000);
      }),
      { numRuns: 1000 },
    );
  });
});
