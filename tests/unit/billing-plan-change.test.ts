import { describe, expect, it } from "vitest";
import { classifyChange, scheduleChange } from "../../lib/billing/plan-change";
import { nextPeriod } from "../../lib/billing/next-period";
import type { Catalog, Cycle, PlanVersion, SubscriptionState, Tier } from "../../lib/billing/types";

const at = (s: string) => new Date(s);

function version(
  id: string,
  tier: Tier,
  v: number,
  current: boolean,
  usd: Record<Cycle, bigint>,
  cny: Record<Cycle, bigint>,
): PlanVersion {
  return {
    id,
    tier,
    version: v,
    current,
    prompts5h: 0,
    weeklyPrompts: current ? 0 : null,
    mcpMonthly: 0,
    concurrency: 1,
    prices: { USD: usd, CNY: cny },
  };
}

// v1 is the old (grandfathered) version, v2 the one on sale. Prices are
// deliberately distinct per version, tier, cycle and currency.
const catalog: Catalog = {
  regions: {
    intl: {
      region: "intl",
      currency: "USD",
      timeZone: "UTC",
      cancelCutoffSeconds: 86400,
      cardMinimumMinor: 50n,
      firstOrderDiscountBps: 5000,
    },
    cn: {
      region: "cn",
      currency: "CNY",
      timeZone: "Asia/Shanghai",
      cancelCutoffSeconds: 3 * 86400,
      cardMinimumMinor: 0n,
      firstOrderDiscountBps: 5000,
    },
  },
  versions: [
    version(
      "lite-v1",
      "lite",
      1,
      false,
      { monthly: 500n, quarterly: 1400n, yearly: 5000n },
      { monthly: 3000n, quarterly: 8500n, yearly: 30000n },
    ),
    version(
      "lite-v2",
      "lite",
      2,
      true,
      { monthly: 600n, quarterly: 1620n, yearly: 5760n },
      { monthly: 4000n, quarterly: 10800n, yearly: 38400n },
    ),
    version(
      "pro-v1",
      "pro",
      1,
      false,
      { monthly: 2500n, quarterly: 7000n, yearly: 25000n },
      { monthly: 15000n, quarterly: 42000n, yearly: 150000n },
    ),
    version(
      "pro-v2",
      "pro",
      2,
      true,
      { monthly: 3000n, quarterly: 8100n, yearly: 28800n },
      { monthly: 20000n, quarterly: 54000n, yearly: 192000n },
    ),
    version(
      "max-v1",
      "max",
      1,
      false,
      { monthly: 5000n, quarterly: 14000n, yearly: 50000n },
      { monthly: 30000n, quarterly: 84000n, yearly: 300000n },
    ),
    version(
      "max-v2",
      "max",
      2,
      true,
      { monthly: 6000n, quarterly: 16200n, yearly: 57600n },
      { monthly: 40000n, quarterly: 108000n, yearly: 384000n },
    ),
  ],
  stock: { dailyPerTier: 5, releaseHour: 10, releaseMinute: 0, timeZone: "Asia/Shanghai" },
};

function state(over: Partial<SubscriptionState>): SubscriptionState {
  return {
    tier: "lite",
    cycle: "monthly",
    planVersionId: "lite-v2",
    region: "intl",
    currency: "USD",
    autoRenew: true,
    cycleAnchor: at("2027-01-31T10:00:00Z"),
    periodIndex: 1,
    periodStart: at("2027-01-31T10:00:00Z"),
    periodEnd: at("2027-02-28T10:00:00Z"),
    periodPaidMinor: 600n,
    scheduledTier: null,
    scheduledCycle: null,
    ...over,
  };
}

describe("classifyChange", () => {
  it("SUB-4: lite → pro is an upgrade", () => {
    expect(classifyChange({ tier: "lite", cycle: "monthly" }, { tier: "pro", cycle: "monthly" })).toBe("upgrade");
  });

  it("SUB-4: pro monthly → max yearly is an upgrade whatever the cycle", () => {
    expect(classifyChange({ tier: "pro", cycle: "monthly" }, { tier: "max", cycle: "yearly" })).toBe("upgrade");
    expect(classifyChange({ tier: "lite", cycle: "yearly" }, { tier: "pro", cycle: "monthly" })).toBe("upgrade");
  });

  it("SUB-5: max → lite is a downgrade, also with another cycle", () => {
    expect(classifyChange({ tier: "max", cycle: "monthly" }, { tier: "lite", cycle: "monthly" })).toBe("downgrade");
    expect(classifyChange({ tier: "max", cycle: "monthly" }, { tier: "pro", cycle: "yearly" })).toBe("downgrade");
  });

  it("SUB-5: the same tier on another cycle is a cycle change", () => {
    expect(classifyChange({ tier: "pro", cycle: "monthly" }, { tier: "pro", cycle: "yearly" })).toBe("cycle_change");
    expect(classifyChange({ tier: "pro", cycle: "yearly" }, { tier: "pro", cycle: "quarterly" })).toBe("cycle_change");
  });

  it("SUB-5: the same tier and cycle is no change", () => {
    expect(classifyChange({ tier: "pro", cycle: "monthly" }, { tier: "pro", cycle: "monthly" })).toBe("none");
  });
});

describe("scheduleChange", () => {
  it("SUB-4: an upgrade cannot be scheduled, it happens at once", () => {
    expect(scheduleChange({ tier: "lite", cycle: "monthly" }, { tier: "pro", cycle: "monthly" })).toEqual({
      ok: false,
      error: "upgrade_is_immediate",
    });
    expect(scheduleChange({ tier: "pro", cycle: "yearly" }, { tier: "max", cycle: "monthly" })).toEqual({
      ok: false,
      error: "upgrade_is_immediate",
    });
  });

  it("SUB-5: a downgrade is scheduled with its tier and cycle", () => {
    expect(scheduleChange({ tier: "max", cycle: "monthly" }, { tier: "lite", cycle: "quarterly" })).toEqual({
      ok: true,
      scheduledTier: "lite",
      scheduledCycle: "quarterly",
    });
  });

  it("SUB-5: a cycle change is scheduled", () => {
    expect(scheduleChange({ tier: "pro", cycle: "monthly" }, { tier: "pro", cycle: "yearly" })).toEqual({
      ok: true,
      scheduledTier: "pro",
      scheduledCycle: "yearly",
    });
  });

  it("SUB-5: asking for the current plan withdraws the scheduled change", () => {
    expect(scheduleChange({ tier: "pro", cycle: "monthly" }, { tier: "pro", cycle: "monthly" })).toEqual({
      ok: true,
      scheduledTier: null,
      scheduledCycle: null,
    });
  });
});

describe("nextPeriod", () => {
  it("SUB-1: without a change the period index increments and the end is anchor + (n+1) cycles", () => {
    const next = nextPeriod(state({}), catalog);
    expect(next).toEqual({
      tier: "lite",
      cycle: "monthly",
      planVersionId: "lite-v2",
      cycleAnchor: at("2027-01-31T10:00:00Z"),
      periodIndex: 2,
      periodStart: at("2027-02-28T10:00:00Z"),
      periodEnd: at("2027-03-31T10:00:00Z"), // back on the anchor day, not Mar 28
      priceMinor: 600n,
    });
  });

  it("SUB-1: renewing period 12 of a monthly plan anchored on Jan 31 ends on the leap day 2028-02-29", () => {
    const next = nextPeriod(
      state({ periodIndex: 12, periodStart: at("2027-12-31T10:00:00Z"), periodEnd: at("2028-01-31T10:00:00Z") }),
      catalog,
    );
    expect(next.periodIndex).toBe(13);
    expect(next.periodStart).toEqual(at("2028-01-31T10:00:00Z"));
    expect(next.periodEnd).toEqual(at("2028-02-29T10:00:00Z"));
  });

  it("PLAN-2: an old, no longer current version renews on itself at its own price", () => {
    const next = nextPeriod(state({ planVersionId: "lite-v1", periodPaidMinor: 500n }), catalog);
    expect(next.planVersionId).toBe("lite-v1");
    expect(next.priceMinor).toBe(500n);
    expect(next.tier).toBe("lite");
  });

  it("PLAN-2: a cn subscriber on an old yearly version renews in CNY on Shanghai calendar", () => {
    // Anchor 2028-02-29 10:00 Shanghai = 02:00Z.
    const next = nextPeriod(
      state({
        tier: "pro",
        cycle: "yearly",
        planVersionId: "pro-v1",
        region: "cn",
        currency: "CNY",
        cycleAnchor: at("2028-02-29T02:00:00Z"),
        periodIndex: 3,
        periodStart: at("2030-02-28T02:00:00Z"),
        periodEnd: at("2031-02-28T02:00:00Z"),
      }),
      catalog,
    );
    expect(next).toEqual({
      tier: "pro",
      cycle: "yearly",
      planVersionId: "pro-v1",
      cycleAnchor: at("2028-02-29T02:00:00Z"),
      periodIndex: 4,
      periodStart: at("2031-02-28T02:00:00Z"),
      periodEnd: at("2032-02-29T02:00:00Z"),
      priceMinor: 150000n,
    });
  });

  it("SUB-5: a withdrawn change (nulls) renews exactly like no change", () => {
    const s = state({ planVersionId: "lite-v1" });
    expect(nextPeriod({ ...s, scheduledTier: null, scheduledCycle: null }, catalog)).toEqual(nextPeriod(s, catalog));
    expect(nextPeriod({ ...s, scheduledTier: "lite", scheduledCycle: "monthly" }, catalog)).toEqual(
      nextPeriod(s, catalog),
    );
  });

  it("SUB-5: a scheduled downgrade renews on the new tier's current version, at its price, on the same anchor (SUB-1: no drift)", () => {
    const next = nextPeriod(
      state({
        tier: "max",
        cycle: "monthly",
        planVersionId: "max-v1",
        cycleAnchor: at("2027-01-15T10:00:00Z"),
        periodIndex: 2,
        periodStart: at("2027-02-15T10:00:00Z"),
        periodEnd: at("2027-03-15T10:00:00Z"),
        periodPaidMinor: 5000n,
        scheduledTier: "lite",
        scheduledCycle: "monthly",
      }),
      catalog,
    );
    expect(next).toEqual({
      tier: "lite",
      cycle: "monthly",
      planVersionId: "lite-v2", // the current Lite, not the subscriber's old version line
      cycleAnchor: at("2027-01-15T10:00:00Z"),
      periodIndex: 3,
      periodStart: at("2027-03-15T10:00:00Z"),
      periodEnd: at("2027-04-15T10:00:00Z"),
      priceMinor: 600n,
    });
  });

  it("SUB-1: a downgrade at a clamped month end keeps the anchor day (Jan 31 → Feb 28 → Mar 31)", () => {
    const next = nextPeriod(
      state({
        tier: "max",
        cycle: "monthly",
        planVersionId: "max-v2",
        cycleAnchor: at("2027-01-31T10:00:00Z"),
        periodIndex: 1,
        periodStart: at("2027-01-31T10:00:00Z"),
        periodEnd: at("2027-02-28T10:00:00Z"),
        periodPaidMinor: 6000n,
        scheduledTier: "lite",
        scheduledCycle: "monthly",
      }),
      catalog,
    );
    expect(next.periodEnd).toEqual(at("2027-03-31T10:00:00Z"));
    expect(next.cycleAnchor).toEqual(at("2027-01-31T10:00:00Z"));
  });

  it("SUB-5: a scheduled downgrade with a new cycle renews on the new tier and cycle price", () => {
    const next = nextPeriod(
      state({
        tier: "max",
        cycle: "monthly",
        planVersionId: "max-v2",
        cycleAnchor: at("2027-01-15T10:00:00Z"),
        periodIndex: 2,
        periodStart: at("2027-02-15T10:00:00Z"),
        periodEnd: at("2027-03-15T10:00:00Z"),
        scheduledTier: "pro",
        scheduledCycle: "yearly",
      }),
      catalog,
    );
    expect(next.tier).toBe("pro");
    expect(next.cycle).toBe("yearly");
    expect(next.planVersionId).toBe("pro-v2");
    expect(next.priceMinor).toBe(28800n);
    expect(next.periodIndex).toBe(1);
    expect(next.cycleAnchor).toEqual(at("2027-03-15T10:00:00Z"));
    expect(next.periodEnd).toEqual(at("2028-03-15T10:00:00Z"));
  });

  it("SUB-5: a cycle change alone keeps the plan version and charges that version's price for the new cycle", () => {
    const next = nextPeriod(
      state({
        planVersionId: "lite-v1",
        cycleAnchor: at("2027-01-15T10:00:00Z"),
        periodIndex: 2,
        periodStart: at("2027-02-15T10:00:00Z"),
        periodEnd: at("2027-03-15T10:00:00Z"),
        scheduledTier: "lite",
        scheduledCycle: "quarterly",
      }),
      catalog,
    );
    expect(next).toEqual({
      tier: "lite",
      cycle: "quarterly",
      planVersionId: "lite-v1",
      cycleAnchor: at("2027-03-15T10:00:00Z"),
      periodIndex: 1,
      periodStart: at("2027-03-15T10:00:00Z"),
      periodEnd: at("2027-06-15T10:00:00Z"),
      priceMinor: 1400n,
    });
  });
});
