import { afterAll, describe, expect, it } from "vitest";
import { renewSubscription, schedulePlanChange } from "../../lib/billing";
import { createDb } from "../../lib/db/client";
import {
  acquireSlot,
  authorize,
  giveBack,
  hashKey,
  quotaContextFor,
  releaseSlot,
  revokeKey,
  type QuotaContext,
} from "../../lib/quota";
import { quotaStatus } from "../../lib/quota/status";
import { FIVE_HOURS_MS, fiveHourReset } from "../../lib/quota/windows";
import { at } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { ask, ctxOf, refusalCode, subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();

/** A counter row without its subscription id, which differs between the two runs compared. */
function withoutSubscription<R extends { subscriptionId: string }>(row: R): Omit<R, "subscriptionId"> {
  const copy: Partial<R> = { ...row };
  delete copy.subscriptionId;
  return copy as Omit<R, "subscriptionId">;
}
let ctx: QuotaContext;
const context = () => (ctx ??= ctxOf(t.db, t.url));
afterAll(() => ctx?.cache.stop());

// 2027-03-01 02:00 UTC is 10:00 in Shanghai: off-peak.
const T0 = at("2027-03-01T02:00:00Z");
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);
const H = 3600_000;

describe("quota decisions on real Postgres", () => {
  it("QUOTA-2: 200 parallel consumes at a key with 50 units left allow exactly 50", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite"); // 80 per 5 hours
    for (let i = 0; i < 30; i++) expect((await ask(context(), s.secret, T0)).allowed).toBe(true);
    const results = await Promise.all(Array.from({ length: 200 }, () => ask(context(), s.secret, plus(T0, 1000))));
    expect(results.filter((r) => r.allowed).length).toBe(50);
    expect(results.filter((r) => refusalCode(r) === "five_hour").length).toBe(150);
    const used = await t.db.quotaUse.aggregate({ where: { subscriptionId: s.sub.id }, _sum: { units: true } });
    expect(used._sum.units).toBe(80);
  });

  it("QUOTA-2: a unit comes back exactly 5 hours after it was consumed, not a second earlier", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    const first = plus(T0, 60_000);
    expect((await ask(context(), s.secret, first)).allowed).toBe(true);
    for (let i = 1; i < 80; i++) expect((await ask(context(), s.secret, plus(first, i * 1000))).allowed).toBe(true);
    const full = await ask(context(), s.secret, plus(first, 5 * H - 1));
    expect(refusalCode(full)).toBe("five_hour");
    if (!full.allowed && full.refusal.code === "five_hour") expect(full.refusal.resetAt).toEqual(plus(first, 5 * H));
    const back = await ask(context(), s.secret, plus(first, 5 * H));
    expect(back.allowed).toBe(true);
    // Only the first unit came back: the next one is due a second later.
    expect(refusalCode(await ask(context(), s.secret, plus(first, 5 * H)))).toBe("five_hour");
  });

  it("QUOTA-2: the 5-hour sum kept beside the counters equals a full count as uses leave the window, the clock goes back, idle gaps pass and uses are given back", async () => {
    const s = await subscriberWithKey(t.db, T0, "max");
    const who = await authorize(context(), s.secret);
    if (!("plan" in who) || !who.plan || "refusal" in who) throw new Error("no plan");
    // A fixed pseudo-random walk (an LCG), so a failure can be replayed.
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let now = T0;
    const allowed: { id: string; at: Date }[] = [];
    for (let step = 0; step < 150; step++) {
      const move = rand(10);
      if (move < 6) now = plus(now, rand(40 * 60_000));
      else if (move < 8) now = plus(now, -rand(90 * 60_000));
      else if (move === 8) now = plus(now, 5 * H + rand(3 * H));
      else if (allowed.length > 0) {
        const [back] = allowed.splice(rand(allowed.length), 1);
        expect(await giveBack(context(), who.plan, back.id, back.at)).toBe(true);
      }
      const id = `walk-${step}`;
      const d = await ask(context(), s.secret, now, { requestId: id });
      expect(d.allowed).toBe(true);
      if (d.allowed) allowed.push({ id, at: now });
      const { rows } = await context().pool.query<{ used: number; oldest: Date | null }>(
        `SELECT COALESCE(SUM(units), 0)::int AS used, MIN(at) AS oldest FROM quota_uses WHERE subscription_id = $1 AND pool = 'prompt' AND at > $2`,
        [s.sub.id, plus(now, -5 * H)],
      );
      expect(d.allowed && d.windows!.fiveHour.used).toBe(rows[0].used);
      expect(d.allowed && d.windows!.fiveHour.resetAt?.getTime()).toBe(
        rows[0].oldest ? rows[0].oldest.getTime() + 5 * H : undefined,
      );
    }
  });

  it("QUOTA-2..4: one batch decides exactly as the same items would one at a time, whatever their order in the batch", async () => {
    // Two worlds built alike: one decides the batch in one quota_consume call, the other item by item.
    const world = async () => {
      const [a, b, c, d] = [
        await subscriberWithKey(t.db, T0, "lite"),
        await subscriberWithKey(t.db, T0, "lite"),
        await subscriberWithKey(t.db, T0, "max"),
        await subscriberWithKey(t.db, T0, "lite"),
      ];
      await t.db.apiKey.update({ where: { id: d.keyId }, data: { revokedAt: T0 } });
      const item = (
        i: number,
        s: typeof a,
        o: {
          r?: string;
          kind?: string;
          c?: number;
          l5?: number;
          lw?: number | null;
          lm?: number;
          stale?: boolean;
          at?: number;
        } = {},
      ) => ({
        i,
        s: s.sub.id,
        u: new Date(s.sub.updatedAt.getTime() - (o.stale ? 1000 : 0)).toISOString(),
        k: s.keyId,
        r: o.r ?? `r${i}`,
        kind: o.kind ?? "prompt",
        pool: o.kind === "web_search" || o.kind === "web_reader" ? "mcp" : "prompt",
        m: "glm-4.7",
        c: o.c ?? 1,
        t: plus(T0, (o.at ?? i) * 1000).toISOString(),
        l5: o.l5 ?? 3,
        lw: o.lw === undefined ? 100 : o.lw,
        wi: 0,
        lm: o.lm ?? 1,
        mk: 202703,
      });
      const items = [
        item(0, a, { c: 2 }), // allowed: 2 of 3
        item(1, a), // allowed: 3 of 3
        item(2, a), // denied_5h
        item(3, a, { r: "r0" }), // duplicate of item 0
        item(4, b, { lw: 1 }), // allowed: the week's one
        item(5, b, { lw: 1 }), // denied_weekly
        item(6, b, { kind: "web_search" }), // allowed: the month's one
        item(7, b, { kind: "web_reader" }), // denied_monthly: shared with web search
        item(8, c, { stale: true }), // stale: the row changed under the cache
        item(9, d), // revoked
        item(10, c, { at: 1 }), // allowed: timed before items already decided
      ];
      return items;
    };
    const run = async (items: object[]) => {
      const { rows } = await context().pool.query("SELECT * FROM quota_consume($1::jsonb)", [JSON.stringify(items)]);
      return rows as {
        i: number;
        outcome: string;
        used_5h: number;
        oldest_5h: Date | null;
        week_used: number;
        month_used: number;
      }[];
    };
    const batched = await world();
    // The batch in a scrambled order: the items of one subscription are still decided in item order.
    const answers = (await run([...batched].sort((x, y) => ((x.i * 7) % 11) - ((y.i * 7) % 11)))).sort(
      (x, y) => x.i - y.i,
    );
    expect(answers.map((r) => r.outcome)).toEqual([
      "allowed",
      "allowed",
      "denied_5h",
      "duplicate",
      "allowed",
      "denied_weekly",
      "allowed",
      "denied_monthly",
      "stale",
      "revoked",
      "allowed",
    ]);
    const single = await world();
    const oneByOne = [];
    for (const it of single) oneByOne.push(...(await run([it])));
    expect(answers.map(({ i, ...rest }) => ({ i, ...rest }))).toEqual(oneByOne);
    const counters = async (items: { s: string }[]) => {
      const subs = [...new Set(items.map((x) => x.s))];
      const rows = await t.db.quotaCounter.findMany({ where: { subscriptionId: { in: subs } } });
      const uses = await t.db.quotaUse.findMany({
        where: { subscriptionId: { in: subs } },
        orderBy: [{ at: "asc" }, { requestId: "asc" }],
      });
      return {
        counters: subs.map((id) => withoutSubscription(rows.find((r) => r.subscriptionId === id)!)),
        uses: uses.map((u) => [subs.indexOf(u.subscriptionId), u.requestId, u.units, u.at.getTime(), u.pool]),
      };
    };
    expect(await counters(batched)).toEqual(await counters(single));
    expect((await counters(batched)).uses).toHaveLength(5);
  });

  it("QUOTA-2: a retried request id is answered again and counted once", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    const same = await Promise.all(
      Array.from({ length: 10 }, () => ask(context(), s.secret, T0, { requestId: "retry-me" })),
    );
    expect(same.every((d) => d.allowed)).toBe(true);
    expect(same.filter((d) => d.allowed && !d.duplicate).length).toBe(1);
    const last = same[same.length - 1];
    expect(last.allowed && last.windows!.fiveHour.used).toBe(1);
  });

  it("QUOTA-3: the weekly cap counts from the order time and starts again at zero on the next week", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite"); // 80 per 5 h, 400 a week
    let now = T0;
    // 400 prompts spread so the 5-hour window never binds: 80 every 5 hours.
    for (let burst = 0; burst < 5; burst++) {
      const r = await Promise.all(Array.from({ length: 80 }, () => ask(context(), s.secret, now)));
      expect(r.every((d) => d.allowed)).toBe(true);
      now = plus(now, 5 * H);
    }
    const capped = await ask(context(), s.secret, now);
    expect(refusalCode(capped)).toBe("weekly");
    if (!capped.allowed && capped.refusal.code === "weekly")
      expect(capped.refusal.resetAt).toEqual(plus(s.sub.orderedAt, 7 * 24 * H));
    expect(refusalCode(await ask(context(), s.secret, plus(s.sub.orderedAt, 7 * 24 * H - 1)))).toBe("weekly");
    const nextWeek = await ask(context(), s.secret, plus(s.sub.orderedAt, 7 * 24 * H));
    expect(nextWeek.allowed && nextWeek.windows!.weekly?.used).toBe(1);
  });

  it("QUOTA-4: web search and web reader share the monthly count, vision draws on the 5-hour pool", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite"); // 100 MCP calls a month
    for (let i = 0; i < 60; i++)
      expect((await ask(context(), s.secret, T0, { kind: "web_search" })).allowed).toBe(true);
    for (let i = 0; i < 40; i++)
      expect((await ask(context(), s.secret, T0, { kind: "web_reader" })).allowed).toBe(true);
    const over = await ask(context(), s.secret, T0, { kind: "web_reader" });
    expect(refusalCode(over)).toBe("monthly");
    // The Shanghai month ends at 2027-03-31 16:00 UTC.
    if (!over.allowed && over.refusal.code === "monthly")
      expect(over.refusal.resetAt).toEqual(at("2027-03-31T16:00:00Z"));
    const vision = await ask(context(), s.secret, T0, { kind: "vision", model: "glm-4.6v" });
    expect(vision.allowed && [vision.windows!.fiveHour.used, vision.windows!.monthly.used]).toEqual([1, 100]);
    expect((await ask(context(), s.secret, at("2027-03-31T16:00:00Z"), { kind: "web_search" })).allowed).toBe(true);
  });

  it("QUOTA-5: a Lite key asking for GLM-5 is refused, not downgraded", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    const d = await ask(context(), s.secret, T0, { model: "GLM-5" });
    expect(refusalCode(d)).toBe("model_not_in_tier");
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("QUOTA-6: GLM-5 costs 3 prompts at 14:00 Shanghai and 2 at 13:59:59 and at 18:00", async () => {
    const s = await subscriberWithKey(t.db, T0, "pro");
    const cost = async (iso: string) => {
      const d = await ask(context(), s.secret, at(iso), { model: "glm-5" });
      return d.allowed ? d.cost : null;
    };
    expect(await cost("2027-03-01T05:59:59Z")).toBe(2);
    expect(await cost("2027-03-01T06:00:00Z")).toBe(3);
    expect(await cost("2027-03-01T09:59:59Z")).toBe(3);
    expect(await cost("2027-03-01T10:00:00Z")).toBe(2);
  });

  it("PLAN-2: a grandfathered subscriber has the old 5-hour quota and no weekly window", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite", { version: 1 });
    const d = await ask(context(), s.secret, T0);
    expect(d.allowed && d.windows!.fiveHour.limit).toBe(120);
    expect(d.allowed && d.windows!.weekly).toBeNull();
  });

  it("QUOTA-3: an upgrade raises the limits at once and what was used this week stays used", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    await Promise.all(Array.from({ length: 80 }, () => ask(context(), s.secret, T0)));
    expect(refusalCode(await ask(context(), s.secret, plus(T0, 1000)))).toBe("five_hour");
    const when = plus(T0, 2 * H);
    await s.upgradeTo("pro", when);
    const d = await ask(context(), s.secret, when);
    expect(
      d.allowed && [
        d.windows!.fiveHour.limit,
        d.windows!.fiveHour.used,
        d.windows!.weekly?.limit,
        d.windows!.weekly?.used,
      ],
    ).toEqual([400, 81, 2000, 81]);
  });

  it("a revoked key stops at once, even before its notification reaches the cache", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    expect((await ask(context(), s.secret, T0)).allowed).toBe(true);
    await revokeKey(t.db, s.userId, s.keyId, T0);
    expect(refusalCode(await ask(context(), s.secret, T0))).toBe("invalid_key");
  });

  it("QUOTA-1: an ended subscription is refused with the plan's state", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    expect((await ask(context(), s.secret, T0)).allowed).toBe(true);
    await t.db.subscription.update({
      where: { id: s.sub.id },
      data: { status: "expired", endedAt: T0, updatedAt: plus(T0, 1) },
    });
    const d = await ask(context(), s.secret, T0);
    expect(d.allowed ? null : d.refusal).toEqual({ code: "plan_inactive", status: "expired" });
  });

  it("QUOTA-8: concurrency slots — the tier's limit holds under parallel calls, a release frees one, a crashed caller's lease runs out", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite"); // 2 slots
    const who = await authorize(context(), s.secret);
    if ("refusal" in who) throw new Error("not authorized");
    const tries = await Promise.all(
      Array.from({ length: 10 }, (_, i) => acquireSlot(context(), who, `call-${i}`, T0, 60)),
    );
    expect(tries.filter((r) => r.acquired).length).toBe(2);
    const holder = tries.findIndex((r) => r.acquired);
    expect(await releaseSlot(context(), s.sub.id, `call-${holder}`)).toBe(true);
    expect((await acquireSlot(context(), who, "call-x", T0, 60)).acquired).toBe(true);
    expect((await acquireSlot(context(), who, "call-y", T0, 60)).acquired).toBe(false);
    // 60 s later both leases have run out.
    expect((await acquireSlot(context(), who, "call-y", plus(T0, 60_000), 60)).acquired).toBe(true);
  });

  it("QUOTA-3: a downgrade scheduled for the renewal lowers the limits at the renewal, not before", async () => {
    const s = await subscriberWithKey(t.db, T0, "pro");
    await schedulePlanChange({ db: t.db, now: T0, port: s.port }, { userId: s.userId, tier: "lite", cycle: "monthly" });
    const before = await ask(context(), s.secret, plus(s.sub.periodEnd, -1000));
    expect(before.allowed && before.windows!.fiveHour.limit).toBe(400);
    expect(await renewSubscription({ db: t.db, now: s.sub.periodEnd, port: s.port }, s.sub.id)).toBe("renewed");
    const after = await ask(context(), s.secret, s.sub.periodEnd);
    expect(after.allowed && [after.windows!.fiveHour.limit, after.windows!.weekly?.limit]).toEqual([80, 400]);
  });

  it("a revoked key is dropped from every instance's cache by the notification", async () => {
    const s = await subscriberWithKey(t.db, T0, "lite");
    // A second instance: its own client, pool and cache, like another web process.
    const other = createDb(t.url);
    const ctx2 = quotaContextFor(other, t.url);
    try {
      expect((await ask(ctx2, s.secret, T0)).allowed).toBe(true);
      await expect.poll(() => ctx2.cache.connected(), { timeout: 5000 }).toBe(true);
      expect((await ctx2.cache.key(hashKey(s.secret)))?.keyId).toBe(s.keyId);
      await revokeKey(t.db, s.userId, s.keyId, T0);
      // Without any decision through ctx2, its cache forgets the key once the notification lands.
      await expect.poll(() => ctx2.cache.key(hashKey(s.secret)), { timeout: 5000 }).toBeNull();
    } finally {
      await ctx2.cache.stop();
      await other.$disconnect();
    }
  });
});

// These were unit tests of a function only the tests called (countsInFiveHours); they now ask
// what the product counts: the decision path (quota_consume) and the read-out (quotaStatus).
describe("QUOTA-2: the rolling 5-hour window, as the product counts it", () => {
  const T = at("2027-03-01T02:17:43.123Z");

  async function consumedAt(when: Date) {
    const s = await subscriberWithKey(t.db, when, "lite");
    const d = await ask(context(), s.secret, when);
    if (!d.allowed) throw new Error(`refused: ${d.refusal.code}`);
    expect(d.windows?.fiveHour.used).toBe(1);
    return { used: async (now: Date) => (await quotaStatus(context(), d.plan, now)).fiveHour, secret: s.secret };
  }

  it("QUOTA-2: a unit consumed at t counts at t, at t + 5 h − 1 ms, and not at t + 5 h", async () => {
    const unit = await consumedAt(T);
    expect((await unit.used(T)).used).toBe(1);
    expect((await unit.used(plus(T, FIVE_HOURS_MS - 1))).used).toBe(1);
    expect((await unit.used(plus(T, FIVE_HOURS_MS))).used).toBe(0);
    expect((await unit.used(plus(T, FIVE_HOURS_MS + 1))).used).toBe(0);
  });

  it("QUOTA-2: the unit comes back at exactly t + 5 h (nextResetTime of the oldest counted unit)", async () => {
    const unit = await consumedAt(T);
    expect((await unit.used(T)).resetAt).toEqual(fiveHourReset(T));
    expect((await unit.used(fiveHourReset(T))).used).toBe(0);
    expect((await unit.used(plus(fiveHourReset(T), -1))).used).toBe(1);
  });
});
