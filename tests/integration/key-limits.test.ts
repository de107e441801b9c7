import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { holdForCall } from "../../lib/api-billing";
import { decisionApi } from "../../lib/gateway/decision-api";
import { createKey, keyTermsInput, keyUsage, setKeyTerms, termsOf, type QuotaContext } from "../../lib/quota";
import { quotaLimitReadout } from "../../lib/quota/readouts";
import { refusalMessage, wireCode } from "../../lib/quota/refusals";
import { at, giveCash } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { apiUser, exactCall, paygCtx, THREE_CENTS } from "../support/payg";
import { ask, ctxOf, refusalCode, subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();
let ctx: QuotaContext;
const context = () => (ctx ??= ctxOf(t.db, t.url));
afterAll(() => ctx?.cache.stop());

// 02:00 UTC is 10:00 in Shanghai: off-peak, so a glm-4.7 prompt costs 1.
const T0 = at("2027-03-01T02:00:00Z");
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);
const H = 3600_000;

type Limit = {
  unit: number;
  usage: number;
  currentValue: number;
  remaining: number;
  nextResetTime?: number;
  runOutTime?: number;
};
async function limitsFor(secret: string, now: Date, lang: "en" | "zh" = "en") {
  const r = await quotaLimitReadout(context(), `Bearer ${secret}`, lang, now);
  return r as { code: number; msg: string; success: boolean; data?: { limits: Limit[] } };
}

describe("KEY-1: a key's own limits inside the plan", () => {
  it("KEY-1: 40 parallel prompts on a key limited to 5 per 5 hours allow exactly 5; the other 35 get 1308 with the key's reset time, and the plan's other key goes on", async () => {
    const s = await subscriberWithKey(t.db, T0, "pro"); // 400 per 5 hours
    const other = await createKey(t.db, s.userId, "desktop", T0);
    await t.db.apiKey.update({ where: { id: s.keyId }, data: { limit5h: 5 } });
    const first = plus(T0, 60_000);
    const results = await Promise.all(Array.from({ length: 40 }, () => ask(context(), s.secret, first)));
    expect(results.filter((r) => r.allowed).length).toBe(5);
    const refused = results.filter((r) => !r.allowed);
    expect(refused.length).toBe(35);
    expect(refused.every((r) => refusalCode(r) === "five_hour")).toBe(true);
    const one = refused[0];
    if (one.allowed || one.refusal.code !== "five_hour") throw new Error("expected a 5-hour refusal");
    expect(one.refusal.resetAt).toEqual(plus(first, 5 * H));
    expect(wireCode(one.refusal)).toEqual({ code: "1308", status: 429 });
    expect(refusalMessage(one.refusal, "en")).toBe(
      "Usage limit reached for 5 hour. Your limit will reset at 2027-03-01 15:01:00 (this API key's own limit)",
    );
    expect(await t.db.quotaUse.count({ where: { keyId: s.keyId } })).toBe(5);
    expect((await ask(context(), other.secret, plus(first, 5000))).allowed).toBe(true);
    // Five hours after the first prompt, it comes back to the key.
    expect((await ask(context(), s.secret, plus(first, 5 * H))).allowed).toBe(true);
  });

  it("KEY-1: a key's weekly limit refuses with 1310 and the week's end; clearing it lets the key go on at once", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    await t.db.apiKey.update({ where: { id: s.keyId }, data: { limitWeek: 3 } });
    for (let i = 0; i < 3; i++) expect((await ask(context(), s.secret, plus(T0, i * H))).allowed).toBe(true);
    const d = await ask(context(), s.secret, plus(T0, 6 * H));
    if (d.allowed || d.refusal.code !== "weekly")
      throw new Error(`expected a weekly refusal, got ${JSON.stringify(d)}`);
    expect(d.refusal.resetAt).toEqual(plus(s.sub.orderedAt, 7 * 24 * H));
    expect(wireCode(d.refusal).code).toBe("1310");
    await t.db.apiKey.update({ where: { id: s.keyId }, data: { limitWeek: null } });
    expect((await ask(context(), s.secret, plus(T0, 6 * H + 1))).allowed).toBe(true);
  });

  it("KEY-1: an expired key is refused like a revoked one, with a message that says it expired, on the gateway's decision and the quota read-out", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    expect((await ask(context(), s.secret, T0)).allowed).toBe(true);
    await t.db.apiKey.update({ where: { id: s.keyId }, data: { expiresAt: plus(T0, H) } });
    context().cache.forgetKey((await t.db.apiKey.findUniqueOrThrow({ where: { id: s.keyId } })).hash);
    expect((await ask(context(), s.secret, plus(T0, H - 1))).allowed).toBe(true);
    const d = await ask(context(), s.secret, plus(T0, H));
    expect(refusalCode(d)).toBe("key_expired");
    if (!d.allowed) {
      expect(wireCode(d.refusal)).toEqual({ code: "401", status: 401 });
      expect(refusalMessage(d.refusal, "en")).toMatch(/^token expired: this API key expired at 2027-03-01 11:00:00/);
    }
    const r = await limitsFor(s.secret, plus(T0, H));
    expect(r).toMatchObject({ code: 401, success: false });
    expect(r.msg).toMatch(/expired at 2027-03-01 11:00:00/);
  });

  it("KEY-1: even with a stale cache, quota_consume refuses an expired key under its lock", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    expect((await ask(context(), s.secret, T0)).allowed).toBe(true); // cached without an expiry
    await t.db.$executeRaw`UPDATE "api_keys" SET "expires_at" = ${plus(T0, 1000)} WHERE "id" = ${s.keyId}::uuid`;
    const key = await context().cache.key((await t.db.apiKey.findUniqueOrThrow({ where: { id: s.keyId } })).hash);
    if (key) key.expiresAt = null; // as if the notification had not arrived yet
    const d = await ask(context(), s.secret, plus(T0, 2000));
    expect(d.allowed === false && d.refusal).toEqual({ code: "key_expired", expiredAt: plus(T0, 1000) });
    expect(await t.db.quotaUse.count({ where: { keyId: s.keyId } })).toBe(1);
  });

  it("KEY-1: the quota read-out answered to a limited key shows the key's own 5-hour and weekly limits where tighter, and the plan's to another key", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite"); // 80 per 5 hours, 400 a week
    const other = await createKey(t.db, s.userId, "ci", T0);
    await t.db.apiKey.update({ where: { id: s.keyId }, data: { limit5h: 5, limitWeek: 1000 } });
    for (let i = 0; i < 2; i++) expect((await ask(context(), s.secret, plus(T0, i * 1000))).allowed).toBe(true);
    expect((await ask(context(), other.secret, plus(T0, 5000))).allowed).toBe(true);
    const mine = await limitsFor(s.secret, plus(T0, 10_000));
    expect(mine.data!.limits[0]).toMatchObject({
      unit: 3,
      usage: 5,
      currentValue: 2,
      remaining: 3,
      nextResetTime: plus(T0, 5 * H).getTime(),
    });
    // The key's weekly 1,000 is looser than the plan's 400: the plan's shows.
    expect(mine.data!.limits[1]).toMatchObject({ unit: 6, usage: 400, currentValue: 3 });
    const theirs = await limitsFor(other.secret, plus(T0, 10_000));
    expect(theirs.data!.limits[0]).toMatchObject({ unit: 3, usage: 80, currentValue: 3, remaining: 77 });
  });

  it("KEY-1: a key's usage over 7 and 30 days counts its prompts, calls, tokens and pay-as-you-go spend, and no other key's", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    const other = await createKey(t.db, s.userId, "other", T0);
    await ask(context(), s.secret, plus(T0, -10 * 24 * H));
    await ask(context(), s.secret, T0);
    await ask(context(), other.secret, T0);
    await giveCash(t.db, s.port, s.userId, 10_000n, T0);
    const payg = paygCtx(t.db, t.url);
    expect((await exactCall(payg, s.secret, T0)).refused).toBeNull();
    const usage = await keyUsage(context().pool, s.userId, [s.keyId, other.key.id], plus(T0, 1000));
    expect(usage.get(s.keyId)!.last7).toEqual({
      prompts: 1,
      calls: 1,
      tokens: THREE_CENTS.inputTokens + THREE_CENTS.outputTokens,
      spendMicro: 3_000_000n,
    });
    expect(usage.get(s.keyId)!.last30.prompts).toBe(2);
    expect(usage.get(other.key.id)!.last30).toEqual({ prompts: 1, calls: 0, tokens: 0, spendMicro: 0n });
  });

  it("KEY-1: bad limits are refused with a field error and change nothing; good ones are stored and clear again", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    const base = { keyId: s.keyId, limit5h: "", limitWeek: "", dailyCap: "", expiresOn: "" };
    for (const bad of [
      { limit5h: "0" },
      { limit5h: "-3" },
      { limitWeek: "2.5" },
      { limit5h: "99999999" },
      { expiresOn: "tomorrow" },
    ]) {
      expect(keyTermsInput.safeParse({ ...base, ...bad }).success).toBe(false);
    }
    const parse = (o: Partial<typeof base>) =>
      termsOf(keyTermsInput.parse({ ...base, ...o }), "USD", "Asia/Shanghai", T0);
    expect(parse({ dailyCap: "1.234" })).toEqual({ field: "dailyCap", error: "key_cap_invalid" });
    expect(parse({ expiresOn: "2027-02-28" })).toEqual({ field: "expiresOn", error: "key_expiry_past" });
    expect(parse({ expiresOn: "2027-02-30" })).toEqual({ field: "expiresOn", error: "key_expiry_invalid" });
    const good = parse({ limit5h: "5", limitWeek: "20", dailyCap: "1.50", expiresOn: "2027-03-31" });
    expect(good).toEqual({ limit5h: 5, limitWeek: 20, paygDailyCapMinor: 150n, expiresAt: at("2027-03-31T16:00:00Z") });
    if ("field" in good) throw new Error("unexpected");
    await setKeyTerms(t.db, s.userId, s.keyId, good, T0);
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: s.keyId } })).toMatchObject({
      limit5h: 5,
      limitWeek: 20,
      paygDailyCapMinor: 150n,
    });
    const stranger = await subscriberWithKey(t.db, T0, "lite");
    await expect(setKeyTerms(t.db, stranger.userId, s.keyId, good, T0)).rejects.toThrow("key_not_found");
    await setKeyTerms(
      t.db,
      s.userId,
      s.keyId,
      { limit5h: null, limitWeek: null, paygDailyCapMinor: null, expiresAt: null },
      T0,
    );
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: s.keyId } })).toMatchObject({
      limit5h: null,
      limitWeek: null,
      paygDailyCapMinor: null,
      expiresAt: null,
    });
  });

  it("KEY-1: a key's daily pay-as-you-go cap is held in api_reserve: 40 parallel calls with a cap of 3 cents get 3 holds, the rest 1113 with the next day's start", async () => {
    const u = await apiUser(t.db, T0);
    await giveCash(t.db, u.port, u.userId, 10_000n, T0);
    await t.db.apiKey.update({ where: { id: u.keyId }, data: { paygDailyCapMinor: 3n } });
    const payg = paygCtx(t.db, t.url);
    const results = await Promise.all(
      Array.from({ length: 40 }, () =>
        holdForCall(
          payg,
          { secret: u.secret, model: "glm-4.7", requestId: randomUUID(), promptTokens: 10, maxOutputTokens: 10 },
          T0,
        ),
      ),
    );
    expect(results.filter((r) => "hold" in r).length).toBe(3);
    const refused = results.find((r) => "refusal" in r);
    if (!refused || !("refusal" in refused) || refused.refusal.code !== "key_daily_cap")
      throw new Error("expected the key's daily cap");
    expect(wireCode(refused.refusal)).toEqual({ code: "1113", status: 429 });
    // The intl region's business day is UTC: the cap comes back at midnight.
    expect(refused.refusal.resetAt).toEqual(at("2027-03-02T00:00:00Z"));
  });
});

describe("QUOTA-9: keys marked for coding tools", () => {
  it("QUOTA-9: a pay-as-you-go key is refused plan quota with 1309 and a message that says so, on the decision and the read-out; its pay-as-you-go calls go through", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    const payg = await createKey(t.db, s.userId, "server", T0, "payg");
    const d = await ask(context(), payg.secret, T0);
    expect(refusalCode(d)).toBe("key_not_for_coding");
    if (!d.allowed) {
      expect(wireCode(d.refusal)).toEqual({ code: "1309", status: 403 });
      expect(refusalMessage(d.refusal, "en")).toBe(
        "This API key is for pay-as-you-go calls only and cannot spend coding plan quota. Create a key for coding tools.",
      );
      expect(refusalMessage(d.refusal, "en")).not.toMatch(/auth|token|rate limit/i);
    }
    expect(await limitsFor(payg.secret, T0, "zh")).toMatchObject({
      code: 1309,
      success: false,
      msg: expect.stringContaining("按量付费"),
    });
    expect(await t.db.quotaUse.count({ where: { keyId: payg.key.id } })).toBe(0);
    await giveCash(t.db, s.port, s.userId, 10_000n, T0);
    expect((await exactCall(paygCtx(t.db, t.url), payg.secret, T0)).refused).toBeNull();
  });

  it("QUOTA-9: a coding key and a key for both spend plan quota; the general endpoint bills any key to the balance (the rule bills it instead, it does not refuse it)", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    const both = await createKey(t.db, s.userId, "both", T0, "both");
    expect((await ask(context(), s.secret, T0)).allowed).toBe(true);
    expect((await ask(context(), both.secret, T0)).allowed).toBe(true);
    await giveCash(t.db, s.port, s.userId, 10_000n, T0);
    expect((await exactCall(paygCtx(t.db, t.url), s.secret, T0)).refused).toBeNull();
  });

  it("QUOTA-9, KEY-1: the decision API answers a pay-as-you-go key 1309 and a limited key 1308 with the key's reset time", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    const payg = await createKey(t.db, s.userId, "server", T0, "payg");
    await t.db.apiKey.update({ where: { id: s.keyId }, data: { limit5h: 1 } });
    const secret = "s".repeat(40);
    const deps = { ctx: context(), secret, now: async () => T0, leaseSeconds: 60 };
    const consume = (key: string) =>
      decisionApi(deps, {
        op: "consume",
        body: { key, model: "glm-4.7", requestId: randomUUID() },
        authorization: `Bearer ${secret}`,
        acceptLanguage: "zh-CN",
      });
    expect((await consume(payg.secret)).body).toMatchObject({
      allowed: false,
      refusal: { code: "1309", status: 403, message: expect.stringContaining("按量付费") },
    });
    expect((await consume(s.secret)).body).toMatchObject({ allowed: true });
    expect((await consume(s.secret)).body).toMatchObject({
      allowed: false,
      refusal: { code: "1308", status: 429, resetTime: plus(T0, 5 * H).getTime() },
    });
  });

  it("QUOTA-9: where the operator does not allow keys for both, one cannot be made", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    await expect(createKey(t.db, s.userId, "both", T0, "both", false)).rejects.toThrow("key_purpose_invalid");
  });

  it("QUOTA-9: a key from before purposes existed (written without one) is a coding key and keeps spending plan quota", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    const secret = `cp_${randomUUID().replace(/-/g, "")}`;
    const { createHash } = await import("node:crypto");
    await t.db.$executeRaw`INSERT INTO "api_keys" ("id", "user_id", "name", "prefix", "hash", "created_at")
      VALUES (${randomUUID()}::uuid, ${s.userId}::uuid, 'old', ${secret.slice(0, 11)}, ${createHash("sha256").update(secret).digest("hex")}, ${T0})`;
    expect((await t.db.apiKey.findFirstOrThrow({ where: { name: "old", userId: s.userId } })).purpose).toBe("coding");
    expect((await ask(context(), secret, T0)).allowed).toBe(true);
  });
});

describe("ALERT-2: the forecast in the quota read-out", () => {
  it("ALERT-2: 40 prompts in the last hour of a Lite plan (80 per 5 hours) run the 5-hour window out in an hour; a quiet window has no runOutTime", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    const quiet = await limitsFor(s.secret, T0);
    expect(quiet.data!.limits.every((l) => l.runOutTime === undefined)).toBe(true);
    for (let i = 0; i < 40; i++)
      expect((await ask(context(), s.secret, plus(T0, (i + 1) * 90_000))).allowed).toBe(true);
    const now = plus(T0, H);
    const r = await limitsFor(s.secret, now);
    const [five, week, month] = r.data!.limits;
    expect(five.runOutTime).toBe(now.getTime() + H);
    expect(Number.isInteger(five.runOutTime)).toBe(true);
    // The week's pace is the last day's: 40 a day uses the 360 left in 9 days, after the week resets.
    expect(week.runOutTime).toBeUndefined();
    expect(month.runOutTime).toBeUndefined();
  });

  it("ALERT-2: the week runs out at the last day's pace when that comes before the week's end; web searches likewise for the month", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite"); // 400 a week, 100 web tools a month
    // 360 prompts spread over the first day (one every 4 minutes), and 60 web searches.
    for (let i = 0; i < 360; i++)
      expect((await ask(context(), s.secret, plus(T0, 60_000 + i * 240_000))).allowed).toBe(true);
    for (let i = 0; i < 60; i++)
      expect((await ask(context(), s.secret, plus(T0, 60_000 + i * 60_000), { kind: "web_search" })).allowed).toBe(
        true,
      );
    const now = plus(T0, 24 * H);
    const [, week, month] = (await limitsFor(s.secret, now)).data!.limits;
    // 40 left at 360 a day: 160 minutes.
    expect(week.runOutTime).toBe(now.getTime() + (40 * 24 * H) / 360);
    // 40 left at 60 a day: 16 hours, before the month (Shanghai) ends on March 31.
    expect(month.runOutTime).toBe(now.getTime() + 16 * H);
  });
});
