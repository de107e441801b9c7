import { describe, expect, it } from "vitest";
import { dailyRecords, rollupDay, rollupDueDays } from "../../lib/api-billing";
import { billingExportCsv } from "../../lib/composition/billing-export";
import { reportUsage } from "../../lib/quota";
import { giveCash, giveCredits } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { ctxOf, subscriberWithKey } from "../support/quota";
import { apiUser, exactCall, packFor, paygCtx, THREE_CENTS } from "../support/payg";

const t = setupFreshDatabase();

async function daysOf(userId: string) {
  const rows = await t.db.usageDay.findMany({
    where: { userId },
    orderBy: [{ day: "asc" }, { source: "asc" }, { ref: "asc" }],
  });
  return rows.map((r) => ({
    day: r.day.toISOString().slice(0, 10),
    model: r.model,
    source: r.source,
    ref: r.ref,
    calls: r.calls,
    amount: r.amountMinor,
    input: r.inputTokens,
  }));
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
    expect(await daysOf(u.userId)).toEqual([
      { day: "2027-05-10", model: "glm-4.7", source: "cash", ref: "", calls: 1, amount: 3n, input: 6_000n },
    ]);
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

  it("BILL-4: a call paid from two packs shows on both packs' rows, its tokens counted once", async () => {
    const day = new Date("2027-06-05T09:00:00Z");
    const ctx = paygCtx(t.db, t.url);
    const u = await apiUser(t.db, day);
    const short = await packFor(t.db, u.userId, "starter", day);
    const long = await packFor(t.db, u.userId, "builder", day);
    await exactCall(ctx, u.secret, day, { inputTokens: 0, outputTokens: 4_554_546, cachedTokens: 0 }); // 1,002: 1,000 + 2
    await exactCall(ctx, u.secret, day, THREE_CENTS); // 3 from the long pack
    await rollupDay(t.db, "intl", "UTC", "2027-06-05", new Date("2027-06-06T01:00:00Z"));
    const rows = await daysOf(u.userId);
    const byRef = Object.fromEntries(rows.map((r) => [r.ref, [r.calls, r.amount, r.input]]));
    expect(byRef).toEqual({ [short.id]: [1, 1000n, 0n], [long.id]: [1, 5n, 6_000n] });
  });

  it("BILL-2: coding-plan calls are rolled up as paid by the subscription, and a cn day runs midnight to midnight in Asia/Shanghai", async () => {
    const when = new Date("2027-07-01T15:30:00Z"); // 23:30 in Shanghai on the 1st
    const s = await subscriberWithKey(t.db, when, "lite");
    await t.db.user.update({ where: { id: s.userId }, data: { region: "cn" } });
    await t.db.subscription.update({ where: { id: s.sub.id }, data: { region: "cn" } });
    const ctx = ctxOf(t.db, t.url);
    const who = {
      key: { keyId: s.keyId, userId: s.userId, hash: "" },
      plan: { subscriptionId: s.sub.id },
    } as Parameters<typeof reportUsage>[1];
    await reportUsage(
      ctx,
      who,
      { requestId: "r1", model: "glm-4.7", tool: null, inputTokens: 100, outputTokens: 20, cachedTokens: 0 },
      when,
    );
    await reportUsage(
      ctx,
      who,
      { requestId: "r2", model: "glm-4.7", tool: null, inputTokens: 50, outputTokens: 5, cachedTokens: 0 },
      new Date("2027-07-01T16:30:00Z"),
    );
    await rollupDay(t.db, "cn", "Asia/Shanghai", "2027-07-01", new Date("2027-07-02T17:00:00Z"));
    const rows = await t.db.usageDay.findMany({ where: { userId: s.userId } });
    expect(
      rows.map((r) => [r.day.toISOString().slice(0, 10), r.source, r.calls, r.inputTokens, r.amountMinor]),
    ).toEqual([["2027-07-01", "subscription", 1, 100n, 0n]]);
  });

  it("BILL-1, BILL-2, BILL-4: the billing page's records come newest day first and name the pack that paid with its expiry; they and the CSV have the exact fees to the micro-unit", async () => {
    const ctx = paygCtx(t.db, t.url);
    const first = new Date("2027-08-03T09:00:00Z");
    const u = await apiUser(t.db, first);
    const pack = await packFor(t.db, u.userId, "starter", first);
    await giveCash(t.db, u.port, u.userId, 500n, first);
    await exactCall(ctx, u.secret, first);
    await exactCall(ctx, u.secret, first, { inputTokens: 0, outputTokens: 4_540_910, cachedTokens: 0 }); // 999.0002: 999 empties the pack with the 3 before
    await exactCall(ctx, u.secret, new Date("2027-08-04T09:00:00Z"), {
      inputTokens: 1_000_000,
      outputTokens: 0,
      cachedTokens: 1_000_000,
    }); // 12, from cash
    await rollupDay(t.db, "intl", "UTC", "2027-08-03", new Date("2027-08-05T01:00:00Z"));
    await rollupDay(t.db, "intl", "UTC", "2027-08-04", new Date("2027-08-05T01:00:00Z"));
    const records = await dailyRecords(t.db, u.userId, { take: 10 });
    expect(records.map((r) => [r.day, r.source, r.pack, r.calls, r.amountMinor, r.amountMicro])).toEqual([
      ["2027-08-04", "cash", null, 1, 12n, 12_000_000n],
      // The exact fees, 3 cents + 999.0002, go on the calls' first source's row with their tokens.
      ["2027-08-03", "pack", { id: pack.id, product: "starter", expiresAt: pack.expiresAt }, 2, 1000n, 1_002_000_200n],
      ["2027-08-03", "cash", null, 0, 2n, 0n],
    ]);
    expect(await dailyRecords(t.db, u.userId, { take: 1 })).toHaveLength(1);
    const csv = (await billingExportCsv(t.db, u.userId, "daily")).split("\r\n");
    expect(csv[0]).toBe(
      "day,model,source,pack,pack_expires_utc,calls,input_tokens,output_tokens,cached_tokens,currency,amount,exact_fee",
    );
    expect(csv.slice(1, 4)).toEqual([
      "2027-08-04,glm-4.7,cash,,,1,1000000,0,1000000,USD,0.12,0.12",
      `2027-08-03,glm-4.7,pack,starter,${pack.expiresAt!.toISOString()},2,6000,4552910,0,USD,10.00,10.020002`,
      "2027-08-03,glm-4.7,cash,,,0,0,0,0,USD,0.02,0.00",
    ]);
  });
});
