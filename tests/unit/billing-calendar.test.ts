import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { periodBoundary, wallClockAt } from "../../lib/billing/calendar";

const iso = (d: Date) => d.toISOString();
const at = (s: string) => new Date(s);

// Fixed UTC offsets (ms) of the business zones over 2020–2040: UTC has none,
// Asia/Shanghai is UTC+8 with no daylight saving since 1991. Used to check the
// boundaries without going through Temporal.
const OFFSET_MS: Record<string, number> = { UTC: 0, "Asia/Shanghai": 8 * 3600_000 };

const daysInMonth = (year: number, month0: number) => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

describe("periodBoundary (monthly, intl UTC)", () => {
  const anchor = at("2027-01-31T10:00:00Z");

  it("SUB-1: subscribed 2027-01-31 10:00 renews 2027-02-28, 2027-03-31, 2027-04-30 at 10:00", () => {
    expect(iso(periodBoundary(anchor, "monthly", 1, "UTC"))).toBe("2027-02-28T10:00:00.000Z");
    expect(iso(periodBoundary(anchor, "monthly", 2, "UTC"))).toBe("2027-03-31T10:00:00.000Z");
    expect(iso(periodBoundary(anchor, "monthly", 3, "UTC"))).toBe("2027-04-30T10:00:00.000Z");
  });

  it("SUB-1: the end of period n is counted from the anchor, not from the clamped previous end", () => {
    // From the clamped Feb 28 a naive "+1 month" would give Mar 28.
    expect(iso(periodBoundary(anchor, "monthly", 2, "UTC"))).not.toBe("2027-03-28T10:00:00.000Z");
    expect(iso(periodBoundary(anchor, "monthly", 12, "UTC"))).toBe("2028-01-31T10:00:00.000Z");
    expect(iso(periodBoundary(anchor, "monthly", 13, "UTC"))).toBe("2028-02-29T10:00:00.000Z");
  });

  it("SUB-1: period 0 ends at the anchor itself", () => {
    expect(iso(periodBoundary(anchor, "monthly", 0, "UTC"))).toBe("2027-01-31T10:00:00.000Z");
  });

  it("SUB-1: subscribed 2028-01-31 renews on the leap day 2028-02-29", () => {
    const a = at("2028-01-31T10:00:00Z");
    expect(iso(periodBoundary(a, "monthly", 1, "UTC"))).toBe("2028-02-29T10:00:00.000Z");
    expect(iso(periodBoundary(a, "monthly", 2, "UTC"))).toBe("2028-03-31T10:00:00.000Z");
  });

  it("SUB-1: seconds and milliseconds of the order time are kept", () => {
    const a = at("2027-01-31T23:59:59.999Z");
    expect(iso(periodBoundary(a, "monthly", 1, "UTC"))).toBe("2027-02-28T23:59:59.999Z");
  });
});

describe("periodBoundary (quarterly and yearly)", () => {
  it("SUB-1: quarterly from 2027-01-31 renews 04-30, 07-31, 10-31, 2028-01-31", () => {
    const a = at("2027-01-31T10:00:00Z");
    expect(iso(periodBoundary(a, "quarterly", 1, "UTC"))).toBe("2027-04-30T10:00:00.000Z");
    expect(iso(periodBoundary(a, "quarterly", 2, "UTC"))).toBe("2027-07-31T10:00:00.000Z");
    expect(iso(periodBoundary(a, "quarterly", 3, "UTC"))).toBe("2027-10-31T10:00:00.000Z");
    expect(iso(periodBoundary(a, "quarterly", 4, "UTC"))).toBe("2028-01-31T10:00:00.000Z");
  });

  it("SUB-1: quarterly from 2027-11-30 renews on 2028-02-29 and then 2028-05-30", () => {
    const a = at("2027-11-30T10:00:00Z");
    expect(iso(periodBoundary(a, "quarterly", 1, "UTC"))).toBe("2028-02-29T10:00:00.000Z");
    expect(iso(periodBoundary(a, "quarterly", 2, "UTC"))).toBe("2028-05-30T10:00:00.000Z");
  });

  it("SUB-1: yearly from 2028-02-29 renews 2029-02-28, 2030-02-28, 2031-02-28 and 2032-02-29", () => {
    const a = at("2028-02-29T10:00:00Z");
    expect(iso(periodBoundary(a, "yearly", 1, "UTC"))).toBe("2029-02-28T10:00:00.000Z");
    expect(iso(periodBoundary(a, "yearly", 2, "UTC"))).toBe("2030-02-28T10:00:00.000Z");
    expect(iso(periodBoundary(a, "yearly", 3, "UTC"))).toBe("2031-02-28T10:00:00.000Z");
    expect(iso(periodBoundary(a, "yearly", 4, "UTC"))).toBe("2032-02-29T10:00:00.000Z");
  });
});

describe("periodBoundary (cn, Asia/Shanghai)", () => {
  // 2027-01-31 10:00 +08:00 is 02:00Z.
  const anchor = at("2027-01-31T02:00:00Z");

  it("SUB-1: cn subscribed 2027-01-31 10:00 Shanghai keeps 10:00 local (02:00Z) on 02-28, 03-31, 04-30", () => {
    expect(iso(periodBoundary(anchor, "monthly", 1, "Asia/Shanghai"))).toBe("2027-02-28T02:00:00.000Z");
    expect(iso(periodBoundary(anchor, "monthly", 2, "Asia/Shanghai"))).toBe("2027-03-31T02:00:00.000Z");
    expect(iso(periodBoundary(anchor, "monthly", 3, "Asia/Shanghai"))).toBe("2027-04-30T02:00:00.000Z");
  });

  it("SUB-1: the month end is judged on the Shanghai calendar, not on UTC", () => {
    // 2027-01-30T16:30Z is 2027-01-31 00:30 in Shanghai (anchor day 31) but day 30 in UTC.
    const b = at("2027-01-30T16:30:00Z");
    expect(iso(periodBoundary(b, "monthly", 1, "Asia/Shanghai"))).toBe("2027-02-27T16:30:00.000Z"); // 02-28 00:30 local
    expect(iso(periodBoundary(b, "monthly", 2, "Asia/Shanghai"))).toBe("2027-03-30T16:30:00.000Z"); // 03-31 00:30 local
    expect(iso(periodBoundary(b, "monthly", 3, "Asia/Shanghai"))).toBe("2027-04-29T16:30:00.000Z"); // 04-30 00:30 local
    expect(iso(periodBoundary(b, "monthly", 1, "UTC"))).toBe("2027-02-28T16:30:00.000Z");
    expect(iso(periodBoundary(b, "monthly", 3, "UTC"))).toBe("2027-04-30T16:30:00.000Z");
  });
});

describe("periodBoundary (property)", () => {
  it("SUB-1: the anchor day never drifts over 36 renewals from any start date", () => {
    const from = Date.UTC(2020, 0, 1);
    const to = Date.UTC(2040, 0, 1);
    const anchorMs = fc.oneof(
      fc.integer({ min: from, max: to }),
      fc.integer({ min: from / 1000, max: to / 1000 }).map((s) => s * 1000),
    );
    fc.assert(
      fc.property(anchorMs, fc.constantFrom("UTC", "Asia/Shanghai"), (ms, timeZone) => {
        const anchor = new Date(ms);
        const off = OFFSET_MS[timeZone];
        const local = new Date(ms + off);
        const y = local.getUTCFullYear();
        const m = local.getUTCMonth();
        const day = local.getUTCDate();
        const timeOfDay = ms + off - Date.UTC(y, m, day);
        let previous = ms;
        for (let n = 1; n <= 36; n++) {
          const b = periodBoundary(anchor, "monthly", n, timeZone).getTime();
          const bl = new Date(b + off);
          const ty = new Date(Date.UTC(y, m + n, 1)).getUTCFullYear();
          const tm = new Date(Date.UTC(y, m + n, 1)).getUTCMonth();
          expect(bl.getUTCFullYear()).toBe(ty);
          expect(bl.getUTCMonth()).toBe(tm);
          expect(bl.getUTCDate()).toBe(Math.min(day, daysInMonth(ty, tm)));
          expect(b + off - Date.UTC(ty, tm, bl.getUTCDate())).toBe(timeOfDay);
          expect(b).toBeGreaterThan(previous);
          previous = b;
        }
      }),
      { numRuns: 1000 },
    );
  }, 30_000);
});

describe("wallClockAt", () => {
  it("SUB-8: shifts to hh:mm on the zone's calendar day that holds the instant", () => {
    // 2027-05-01T01:59:59Z is 09:59:59 on 05-01 in Shanghai.
    expect(iso(wallClockAt(at("2027-05-01T01:59:59Z"), "Asia/Shanghai", 10, 0))).toBe("2027-05-01T02:00:00.000Z");
    // 2027-04-30T16:00:00Z is already 00:00 on 05-01 in Shanghai.
    expect(iso(wallClockAt(at("2027-04-30T16:00:00Z"), "Asia/Shanghai", 10, 0))).toBe("2027-05-01T02:00:00.000Z");
    expect(iso(wallClockAt(at("2027-04-30T15:59:59.999Z"), "Asia/Shanghai", 10, 0))).toBe("2027-04-30T02:00:00.000Z");
  });

  it("SUB-8: a day offset moves whole days and drops seconds", () => {
    const t = at("2027-05-01T05:12:34.567Z");
    expect(iso(wallClockAt(t, "Asia/Shanghai", 10, 30, -1))).toBe("2027-04-30T02:30:00.000Z");
    expect(iso(wallClockAt(t, "Asia/Shanghai", 10, 30, 1))).toBe("2027-05-02T02:30:00.000Z");
    expect(iso(wallClockAt(t, "UTC", 10, 0))).toBe("2027-05-01T10:00:00.000Z");
  });
});
