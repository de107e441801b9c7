import { mkdtempSync, writeFileSync } from "node:fs";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { currentVersion, priceOf, TIER_RANK } from "../../lib/billing/catalog";
import { readCatalogFile } from "../../lib/billing/catalog-file";
import { loadCatalog } from "../../lib/billing/catalog-load";
import { priceAt } from "../../lib/api-billing/prices";
import { syncCatalog } from "../../lib/composition/catalog-sync";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();

function writeCatalog(mutate: (c: Record<string, unknown>) => void) {
  const json = JSON.parse(readFileSync("prisma/catalog.json", "utf8"));
  mutate(json);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "catalog-")), "catalog.json");
  writeFileSync(file, JSON.stringify(json));
  return file;
}

describe("catalog", () => {
  it("PLAN-1: three tiers Lite < Pro < Max, three cycles with quarterly and yearly discounted, USD 6/30/60 and CNY 40/200/400 a month", async () => {
    const catalog = await loadCatalog(t.db);
    expect(
      Object.entries(TIER_RANK)
        .sort((a, b) => a[1] - b[1])
        .map(([tier]) => tier),
    ).toEqual(["lite", "pro", "max"]);
    const monthly = (currency: string) =>
      (["lite", "pro", "max"] as const).map((tier) => priceOf(currentVersion(catalog, tier), "monthly", currency));
    expect(monthly("USD")).toEqual([600n, 3000n, 6000n]);
    expect(monthly("CNY")).toEqual([4000n, 20000n, 40000n]);
    for (const tier of ["lite", "pro", "max"] as const) {
      const v = currentVersion(catalog, tier);
      expect(priceOf(v, "quarterly", "USD")).toBeLessThan(3n * priceOf(v, "monthly", "USD"));
      expect(priceOf(v, "yearly", "USD")).toBeLessThan(12n * priceOf(v, "monthly", "USD"));
    }
    expect(catalog.regions.intl).toMatchObject({
      currency: "USD",
      timeZone: "UTC",
      cancelCutoffSeconds: 86_400,
      cardMinimumMinor: 50n,
    });
    expect(catalog.regions.cn).toMatchObject({
      currency: "CNY",
      timeZone: "Asia/Shanghai",
      cancelCutoffSeconds: 259_200,
    });
  });

  it("PLAN-2: the old version keeps its quota and has no weekly cap; only the current one is on sale", async () => {
    const versions = await t.db.planVersion.findMany({ where: { tier: "pro" }, orderBy: { version: "asc" } });
    expect(versions.map((v) => [v.version, v.current, v.prompts5h, v.weeklyPrompts])).toEqual([
      [1, false, 600, null],
      [2, true, 400, 2000],
    ]);
  });

  it("PLAN-2: syncing again changes nothing, and a changed price on a published version is refused", async () => {
    const before = await t.db.planPrice.count();
    await syncCatalog(t.db, readCatalogFile(), new Date());
    expect(await t.db.planPrice.count()).toBe(before);
    const file = writeCatalog((c) => {
      (c.versions as { prices: { USD: { pro: { monthly: number } } } }[])[1].prices.USD.pro.monthly = 3100;
    });
    await expect(syncCatalog(t.db, readCatalogFile(file), new Date())).rejects.toThrow(
      /price changed; publish a new version instead/,
    );
    const pro = await t.db.planVersion.findUniqueOrThrow({
      where: { tier_version: { tier: "pro", version: 2 } },
      include: { prices: true },
    });
    expect(pro.prices.find((p) => p.currency === "USD" && p.cycle === "monthly")?.amountMinor).toBe(3000n);
  });

  it("PLAN-1: a catalog file with two current versions or a bad price stops with a message naming the problem", () => {
    const twoCurrent = writeCatalog((c) => ((c.versions as { current: boolean }[])[0].current = true));
    expect(() => readCatalogFile(twoCurrent)).toThrow(/exactly one version must be current/);
    const negative = writeCatalog(
      (c) => ((c.versions as { prices: { USD: { lite: { monthly: number } } } }[])[1].prices.USD.lite.monthly = -5),
    );
    expect(() => readCatalogFile(negative)).toThrow(/versions\.1\.prices\.USD\.lite\.monthly/);
  });

  it("BILL-1: the price list is synced per model and currency in micro-units; a call pays the version in force when it ran", async () => {
    expect(await priceAt(t.db, "GLM-4.7", "USD", new Date("2026-06-01T00:00:00Z"))).toMatchObject({
      inputPerMillionMicro: 60_000_000n,
      outputPerMillionMicro: 220_000_000n,
      cachedRatioBps: 2000,
    });
    expect(await priceAt(t.db, "glm-4.7", "USD", new Date("2025-12-31T23:59:59Z"))).toBeNull();
    expect(await priceAt(t.db, "no-such-model", "USD", new Date())).toBeNull();
    const file = writeCatalog((c) => {
      const api = c.api as {
        priceVersions: {
          effectiveFrom: string;
          prices: Record<string, Record<string, { input: string; output: string }>>;
        }[];
      };
      api.priceVersions.push({
        effectiveFrom: "2027-02-01T00:00:00Z",
        prices: { USD: { "glm-4.7": { input: "45.123456", output: "180" } } },
      });
    });
    await syncCatalog(t.db, readCatalogFile(file), new Date());
    expect(await priceAt(t.db, "glm-4.7", "USD", new Date("2027-01-31T23:59:59.999Z"))).toMatchObject({
      inputPerMillionMicro: 60_000_000n,
    });
    expect(await priceAt(t.db, "glm-4.7", "USD", new Date("2027-02-01T00:00:00Z"))).toMatchObject({
      inputPerMillionMicro: 45_123_456n,
      outputPerMillionMicro: 180_000_000n,
    });
  });

  it("BILL-1: a changed price on a version in force is refused, and a price with more than 6 decimals stops the start", async () => {
    const changed = writeCatalog((c) => {
      (
        c.api as { priceVersions: { prices: { USD: Record<string, { input: string }> } }[] }
      ).priceVersions[0].prices.USD["glm-5"].input = "101";
    });
    await expect(syncCatalog(t.db, readCatalogFile(changed), new Date())).rejects.toThrow(
      /price of glm-5 from 2026-01-01T00:00:00Z changed/,
    );
    expect(await priceAt(t.db, "glm-5", "USD", new Date("2026-06-01T00:00:00Z"))).toMatchObject({
      inputPerMillionMicro: 100_000_000n,
    });
    const fine = writeCatalog((c) => {
      (
        c.api as { priceVersions: { prices: { USD: Record<string, { input: string }> } }[] }
      ).priceVersions[0].prices.USD["glm-5"].input = "0.1234567";
    });
    expect(() => readCatalogFile(fine)).toThrow(/api\.priceVersions\.0\.prices\.USD\.glm-5\.input/);
  });
});
