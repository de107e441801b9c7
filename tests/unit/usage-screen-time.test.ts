import { describe, expect, it } from "vitest";
import { lastDays } from "../../app/(account)/usage/days";
import { resetFormat, sameDay } from "../../components/quota/reset-time";

const at = (s: string) => new Date(s);
const iso = (d: Date) => d.toISOString();

describe("lastDays (the usage screen's history range)", () => {
  it("QUOTA-10: the last 7 days in UTC+8 run from 00:00 six days ago to 00:00 tomorrow, on the viewer's wall clock", () => {
    // 2027-03-10 01:30 in Shanghai is still 2027-03-09 in UTC.
    const r = lastDays(at("2027-03-09T17:30:00Z"), "Asia/Shanghai", 7);
    expect(iso(r.from)).toBe("2027-03-03T16:00:00.000Z");
    expect(iso(r.to)).toBe("2027-03-10T16:00:00.000Z");
  });

  it("QUOTA-10: across a daylight-saving change the days are calendar days, not 24-hour steps", () => {
    // New York moves to UTC-4 on 2027-03-14: the range starts at midnight EST and ends at midnight EDT.
    const r = lastDays(at("2027-03-20T12:00:00Z"), "America/New_York", 30);
    expect(iso(r.from)).toBe("2027-02-19T05:00:00.000Z");
    expect(iso(r.to)).toBe("2027-03-21T04:00:00.000Z");
  });

  it("QUOTA-10: a zone whose day starts at 01:00 (a jump at midnight) starts the range when the day really starts", () => {
    // Santiago springs forward at 2026-09-06 00:00 → 01:00 (UTC-4 → UTC-3).
    const r = lastDays(at("2026-09-06T12:00:00Z"), "America/Santiago", 1);
    expect(iso(r.from)).toBe("2026-09-06T04:00:00.000Z");
    expect(iso(r.to)).toBe("2026-09-07T03:00:00.000Z");
  });
});

describe("resetFormat (how a reset time is worded)", () => {
  const now = at("2027-03-09T10:00:00Z");

  it("QUOTA-10: a reset later the same day shows the time alone; one on another day shows the date too", () => {
    expect(resetFormat(at("2027-03-09T15:00:00Z"), now, "UTC")).toEqual({ timeStyle: "short", timeZone: "UTC" });
    expect(resetFormat(at("2027-03-10T00:30:00Z"), now, "UTC")).toEqual({
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    });
  });

  it("QUOTA-10: the same instant can be today in one zone and tomorrow in UTC+8", () => {
    const reset = at("2027-03-09T17:00:00Z"); // 17:00 UTC, 01:00 on the 10th in Shanghai
    expect(sameDay(reset, now, "UTC")).toBe(true);
    expect(sameDay(reset, now, "Asia/Shanghai")).toBe(false);
  });
});
