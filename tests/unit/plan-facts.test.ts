import { describe, expect, it } from "vitest";
import { cycleSavingsBps, peakWindow } from "../../lib/billing/plan-facts";
import { modelRules } from "../../lib/quota/models";

describe("pricing facts", () => {
  it("PLAN-1: a longer cycle's saving is against paying monthly for as long, rounded down", () => {
    expect(cycleSavingsBps({ monthly: 3000n, quarterly: 8100n, yearly: 28800n })).toEqual({
      monthly: 0,
      quarterly: 1000,
      yearly: 2000,
    });
    // 1 − 1700/1800 = 5.555…% → 555 bps, never rounded up into a promise the price does not keep.
    expect(cycleSavingsBps({ monthly: 600n, quarterly: 1700n, yearly: 7200n })).toEqual({
      monthly: 0,
      quarterly: 555,
      yearly: 0,
    });
  });

  it("QUOTA-6: today's peak window is 14:00–18:00 in UTC+8, as instants any viewer's zone can show", () => {
    const w = peakWindow(modelRules(), new Date("2027-05-01T20:30:00Z")); // already 2 May 04:30 in Shanghai
    expect(w.from.toISOString()).toBe("2027-05-02T06:00:00.000Z");
    expect(w.to.toISOString()).toBe("2027-05-02T10:00:00.000Z");
    expect(w.from.toLocaleTimeString("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" })).toBe(
      "08:00",
    );
  });
});
