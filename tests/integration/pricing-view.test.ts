import { describe, expect, it } from "vitest";
import { pricingView } from "../../lib/billing";
import { readCatalogFile } from "../../lib/billing/catalog-file";
import { at } from "../support/billing";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();

describe("the pricing page's figures", () => {
  it("PLAN-1: per tier the quotas, concurrency, MCP count, models with their peak and off-peak cost, each cycle's saving, today's stock and both discounts, all from the catalog", async () => {
    const catalog = readCatalogFile();
    const view = await pricingView(t.db, "intl", at("2027-05-01T03:00:00Z"));
    const lite = view.plans.find((p) => p.tier === "lite")!;
    const pro = view.plans.find((p) => p.tier === "pro")!;
    // QUOTA-5: GLM-5 only on Pro and Max, and QUOTA-6 its 3 / 2 cost.
    expect(lite.models.map((m) => m.id)).not.toContain("glm-5");
    expect(pro.models.find((m) => m.id === "glm-5")).toMatchObject({ peakCost: 3, offPeakCost: 2 });
    const current = catalog.versions.find((v) => v.current)!;
    expect(view.plans.map((p) => p.quotas.concurrency)).toEqual(
      view.plans.map((p) => current.quotas[p.tier].concurrency),
    );
    expect(lite.quotas.mcpMonthly).toBe(100);
    for (const p of view.plans) {
      const price = Object.fromEntries(p.prices.map((x) => [x.cycle, x]));
      expect(price.monthly.savingBps).toBe(0);
      const expected = Number(
        ((price.monthly.amountMinor * 12n - price.yearly.amountMinor) * 10_000n) / (price.monthly.amountMinor * 12n),
      );
      expect(price.yearly.savingBps).toBe(expected);
      expect(p.stock.remaining).toBeGreaterThan(0);
    }
    expect(view.firstOrderDiscountBps).toBe(catalog.regions.intl.firstOrderDiscountBps);
    expect(view.referralDiscountBps).toBe(catalog.referrals.discountBps);
    expect(view.peak.from).toEqual(at("2027-05-01T06:00:00Z"));
  });
});
