import { describe, expect, it } from "vitest";
import { rollupDay, rollupDueDays } from "../../lib/api-billing";
import { reportUsage } from "../../lib/quota";
import { giveCash, giveCredits } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { ctxOf, subscriberWithKey } from "../support/quota";
import { apiUser, exactCall, packFor, paygCtx } from "../support/payg";

const t = setupFreshDatabase();

async function daysOf(userId: string) {
  const rows = await t.db.usageDay.findMany({ where: { userId }, orderBy: [{ day: "asc" }, { source: "asc" }, { ref: "asc" }] });
  return rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), model: r.model, source: r.source, ref: r.ref, calls: r.calls, amount: r.amountMinor, input: r.inputTokens }));
}

describe("the daily usage rollup", () => {
  it("BILL-2: today's consumption appears from the next day: nothing is rolled up until the day is over, then it is there once", async () => {
    const day = new Date("2027-05-10T12:00:00Z");
    const u = await apiUser(t.db, day);
    await giveCash(t.db, u.port, u.userId, 1000n, day);
    await exactCall(paygCtx(t.db, t.url), u.secret, day);
    await rollupDueDays(t.db, new Date("2027-05-10T23:59:00Z"));
    expect(await daysOf(u.userId)).toEqual([]);
    // Midnight UTC (intl) plus the grace: the 10th is rolled up, once, however many sweeps run.
    const next = new Date("2027-05-11T00:15:00Z");
    await Promise.all([rollupDueDays(t.db, next), rollupDueDays(t.db, next)]);
    expect(await daysOf(u.userId)).toEqual([{ day: "2027-05-10", model: "glm-4.7", source: "cash", ref: "", calls: 1, amount: 3n, input: 10_000n }]);
    expect(await t.db.usageRollup.findMany({ where: { day: new Date("2027-05-10T00:00:00Z") } })).toHaveLength(2);
  });

  it("BILL-4: each day's records say which pack, account or subscription paid, and a call split over two sources counts its tokens once", async () => {
    const day = new Date("2027-06-02T09:00:00Z");
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, day);
    const pack = await packFor(t.db, u.userId, "starter", day);
    await giveCash(t.db, u.port, u.userId, 500n, day);
    await giveCredits(t.db, u.userId, 500n, day);
    // 999 from the pack, then one call of 5 that empties it (1) and splits 4 over cash and bonus.
    await exactCall(ctx, u.secret, day, { inputTokens: 0, outputTokens: 4_540_910, cachedTokens: 0 }); // 999.0002 → 999
    await exactCall(ctx, u.secret, day, { inputTokens: 0, outputTokens: 22_728, cachedTokens: 0 }); // 5.00016 → 5
    await rollupDay(t.db, "intl", "UTC", "2027-06-02", new Date("2027-06-03T01:00:00Z"));
    expect(await daysOf(u.userId)).toEqual([
      { day: "2027-06-02", model: "glm-4.7", source: "bonus", ref: "", calls: 0, amount: 2n, input: 0n },
      { day: "2027-06-02", model: "glm-4.7", source: "cash", ref: "", calls: 0, amount: 2n, input: 0n },
      { day: "2027-06-02", model: "glm-4.7", source: "pack", ref: pack.id, calls: 2, amount: 1000n, input: 0n },
    ]);
  });

  it("BILL-2: coding-plan calls are rolled up as paid by the subscription, and a cn day runs midnight to midnight in Asia/Shanghai", async () => {
    const when = new Date("2027-07-01T15:30:00Z"); // 23:30 in Shanghai on the 1st
    const s = await subscriberWithKey(t.db, when, "lite");
    await t.db.user.update({ where: { id: s.userId }, data: { region: "cn" } });
    await t.db.subscription.update({ where: { id: s.sub.id }, data: { region: "cn" } });
    const ctx = ctxOf(t.db, t.url);
    const who = { key: { keyId: s.keyId, userId: s.userId, hash: "" }, plan: { subscriptionId: s.sub.id } } as Parameters<typeof reportUsage>[1];
    await reportUsage(ctx, who, { requestId: "r1", model: "glm-4.7", tool: null, inputTokens: 100, outputTokens: 20, cachedTokens: 0 }, when);
    await reportUsage(ctx, who, { requestId: "r2", model: "glm-4.7", tool: null, inputTokens: 50, outputTokens: 5, cachedTokens: 0 }, new Date("2027-07-01T16:30:00Z"));
    await rollupDay(t.db, "cn", "Asia/Shanghai", "2027-07-01", new Date("2027-07-02T17:00:00Z"));
    const rows = await t.db.usageDay.findMany({ where: { userId: s.userId } });
    expect(rows.map((r) => [r.day.toISOString().slice(0, 10), r.source, r.calls, r.inputTokens, r.amountMinor])).toEqual([["2027-07-01", "subscription", 1, 100n, 0n]]);
  });
});
