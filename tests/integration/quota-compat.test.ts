import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKey, revokeKey, type QuotaContext } from "../../lib/quota";
import { serveQuotaRoutes } from "../support/app-routes";
import { makeUser } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { ask, ctxOf, subscriberWithKey } from "../support/quota";

const SECRET = "g".repeat(40);
process.env.GATEWAY_SECRET = SECRET;

const t = setupFreshDatabase();
let server: Awaited<ReturnType<typeof serveQuotaRoutes>>;
let ctx: QuotaContext | undefined;
const context = () => (ctx ??= ctxOf(t.db, t.url));
beforeAll(async () => {
  server = await serveQuotaRoutes();
});
afterAll(async () => {
  await ctx?.cache.stop();
  await server?.close();
});

const H = 3600_000;
const DAY = 24 * H;
/** An instant as `yyyy-MM-dd HH:mm:ss` in UTC+8 (Shanghai has no daylight saving). */
const utc8 = (ms: number) => new Date(ms + 8 * H).toISOString().replace("T", " ").slice(0, 19);
// Reset times in messages are rounded up to the second (waiting until the time shown is enough).
const resetText = (ms: number) => utc8(Math.ceil(ms / 1000) * 1000);
const floorHour = (ms: number) => Math.floor(ms / H) * H;
/** The end of the calendar month in Asia/Shanghai that `ms` falls in, computed independently of lib/. */
const shanghaiMonthEnd = (ms: number) => {
  const local = new Date(ms + 8 * H);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - 8 * H;
};

type Json = Record<string, unknown>;
type Answer = { status: number; body: Json; headers: Headers };

async function get(path: string, opts: { auth?: string; lang?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (opts.auth !== undefined) headers.authorization = opts.auth;
  if (opts.lang) headers["accept-language"] = opts.lang;
  const res = await fetch(`${server.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}

/** The gateway's decision API, authenticated with the shared secret unless told otherwise. */
const decide = (op: string, body: unknown, opts: { auth?: string | null; lang?: string } = {}) => {
  const headers: Record<string, string> = {};
  const auth = opts.auth === undefined ? `Bearer ${SECRET}` : opts.auth;
  if (auth !== null) headers.authorization = auth;
  if (opts.lang) headers["accept-language"] = opts.lang;
  return post(`/api/gateway/v1/${op}`, body, headers);
};

const LIMIT = "/api/monitor/usage/quota/limit";
const chatBody = (model = "glm-4.7") => ({ model, messages: [{ role: "user", content: "hello" }] });
const anthropicBody = (model = "glm-4.7") => ({
  model,
  max_tokens: 20,
  messages: [{ role: "user", content: "hello" }],
});

/** Spends the whole Lite 5-hour quota (80 prompts) at `t0` through the decision path. */
async function exhaust(secret: string, t0: Date) {
  const r = await Promise.all(Array.from({ length: 80 }, () => ask(context(), secret, t0)));
  expect(r.every((d) => d.allowed)).toBe(true);
}

/** Every number in the read-out's limits, which COMPAT.md requires to be integers. */
function numbersOf(limits: Json[]): number[] {
  const out: number[] = [];
  for (const item of limits) {
    for (const [k, v] of Object.entries(item)) {
      if (typeof v === "number") out.push(v);
      if (k === "usageDetails") for (const d of v as Json[]) out.push(d.usage as number);
    }
  }
  return out;
}

describe("COMPAT: GET /api/monitor/usage/quota/limit", () => {
  it("COMPAT: no Authorization header answers HTTP 200 with code 1001 'Authorization Token Missing'", async () => {
    const r = await get(LIMIT);
    expect(r.status).toBe(200);
    expect(r.body).toStrictEqual({ code: 1001, msg: "Authorization Token Missing", success: false });
  });

  it("COMPAT: an unknown or malformed key answers HTTP 200 with code 401 'token expired or incorrect'", async () => {
    for (const auth of [`Bearer cp_${"x".repeat(32)}`, `cp_${"y".repeat(32)}`, "Bearer", "garbage with spaces"]) {
      const r = await get(LIMIT, { auth });
      expect(r.status).toBe(200);
      expect(r.body).toStrictEqual({ code: 401, msg: "token expired or incorrect", success: false });
    }
  });

  it("COMPAT: a revoked key answers code 401", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    expect((await get(LIMIT, { auth: `Bearer ${s.secret}` })).body.success).toBe(true);
    await revokeKey(t.db, s.userId, s.keyId, new Date());
    await expect
      .poll(async () => (await get(LIMIT, { auth: `Bearer ${s.secret}` })).body)
      .toStrictEqual({ code: 401, msg: "token expired or incorrect", success: false });
  });

  it("COMPAT: a key without a coding plan answers HTTP 200 with 1309, in English and in Chinese", async () => {
    const userId = await makeUser(t.db, new Date());
    const { secret } = await createKey(t.db, userId, "laptop", new Date());
    const en = await get(LIMIT, { auth: `Bearer ${secret}` });
    expect(en.status).toBe(200);
    expect(en.body).toStrictEqual({ code: 1309, msg: "The current user has no coding plan", success: false });
    const zh = await get(LIMIT, { auth: secret, lang: "zh-CN,zh;q=0.9" });
    expect(zh.status).toBe(200);
    expect(zh.body).toStrictEqual({ code: 1309, msg: "当前用户不存在coding plan", success: false });
  });

  it("COMPAT: an expired subscription reads as no coding plan (1309)", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    expect((await get(LIMIT, { auth: s.secret })).body.success).toBe(true);
    await t.db.subscription.update({
      where: { id: s.sub.id },
      data: { status: "expired", endedAt: new Date(), updatedAt: new Date() },
    });
    await expect
      .poll(async () => (await get(LIMIT, { auth: s.secret })).body)
      .toStrictEqual({ code: 1309, msg: "The current user has no coding plan", success: false });
  });

  it("QUOTA-10: a fresh Lite subscriber sees 5-hour 80, weekly 400 and monthly 100 with nothing used and no nextResetTime key", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const expected = {
      code: 200,
      msg: "Operation successful",
      success: true,
      data: {
        level: "lite",
        limits: [
          { type: "TOKENS_LIMIT", unit: 3, number: 5, usage: 80, currentValue: 0, remaining: 80, percentage: 0 },
          { type: "TOKENS_LIMIT", unit: 6, number: 1, usage: 400, currentValue: 0, remaining: 400, percentage: 0 },
          {
            type: "TIME_LIMIT",
            unit: 5,
            number: 1,
            usage: 100,
            currentValue: 0,
            remaining: 100,
            percentage: 0,
            usageDetails: [
              { modelCode: "search-prime", usage: 0 },
              { modelCode: "web-reader", usage: 0 },
            ],
          },
        ],
      },
    };
    const bearer = await get(LIMIT, { auth: `Bearer ${s.secret}` });
    expect(bearer.status).toBe(200);
    expect(bearer.body).toStrictEqual(expected);
    for (const item of (bearer.body.data as { limits: Json[] }).limits)
      expect(Object.keys(item)).not.toContain("nextResetTime");
    // The bare key works the same.
    const bare = await get(LIMIT, { auth: s.secret });
    expect(bare.body).toStrictEqual(expected);
    expect(bare.headers.get("cache-control")).toBe("no-store");
  });

  it("QUOTA-2/3/4/10: after prompts, a vision call and MCP calls the read-out shows exact use, integer numbers and ms reset times", async () => {
    const now = Date.now();
    // Ordered 6 hours ago, so the week's reset is the order time + 7 days, not now + 7 days.
    const s = await subscriberWithKey(t.db, new Date(now - 6 * H), "lite");
    const tExpired = new Date(now - 5 * H - 1000);
    const tOldest = new Date(now - 3 * H);
    expect((await ask(context(), s.secret, tExpired)).allowed).toBe(true); // out of the 5-hour window, still in the week
    expect((await ask(context(), s.secret, tOldest)).allowed).toBe(true);
    expect((await ask(context(), s.secret, new Date(now - H), { kind: "vision", model: "glm-4.6v" })).allowed).toBe(
      true,
    );
    expect((await ask(context(), s.secret, new Date(now))).allowed).toBe(true);
    for (const kind of ["web_search", "web_search", "web_reader"] as const) {
      expect((await ask(context(), s.secret, new Date(now), { kind })).allowed).toBe(true);
    }

    const r = await get(LIMIT, { auth: `Bearer ${s.secret}` });
    expect(r.status).toBe(200);
    const monthEnd = shanghaiMonthEnd(Date.now());
    expect(r.body).toStrictEqual({
      code: 200,
      msg: "Operation successful",
      success: true,
      data: {
        level: "lite",
        limits: [
          // 3 of 80 = 3.75 % → 3; back when the oldest counted unit (3 h ago) is 5 h old.
          {
            type: "TOKENS_LIMIT",
            unit: 3,
            number: 5,
            usage: 80,
            currentValue: 3,
            remaining: 77,
            percentage: 3,
            nextResetTime: tOldest.getTime() + 5 * H,
          },
          // 4 of 400 = 1 %; the week ends 7 days after the order time.
          {
            type: "TOKENS_LIMIT",
            unit: 6,
            number: 1,
            usage: 400,
            currentValue: 4,
            remaining: 396,
            percentage: 1,
            nextResetTime: s.sub.orderedAt.getTime() + 7 * DAY,
          },
          {
            type: "TIME_LIMIT",
            unit: 5,
            number: 1,
            usage: 100,
            currentValue: 3,
            remaining: 97,
            percentage: 3,
            nextResetTime: monthEnd,
            usageDetails: [
              { modelCode: "search-prime", usage: 2 },
              { modelCode: "web-reader", usage: 1 },
            ],
          },
        ],
      },
    });
    const limits = (r.body.data as { limits: Json[] }).limits;
    for (const n of numbersOf(limits)) expect(Number.isInteger(n)).toBe(true);
    for (const item of limits) expect(String(item.nextResetTime)).toMatch(/^\d{13}$/);

    const zh = await get(LIMIT, { auth: s.secret, lang: "zh-CN" });
    expect(zh.body.msg).toBe("操作成功");
    expect(zh.body.data).toStrictEqual(r.body.data);
  });

  it("QUOTA-10: percentage reaches 100 and remaining 0 when the 5-hour quota is used up", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const t0 = new Date();
    await exhaust(s.secret, t0);
    const r = await get(LIMIT, { auth: s.secret });
    const limits = (r.body.data as { limits: Json[] }).limits;
    expect(limits[0]).toStrictEqual({
      type: "TOKENS_LIMIT",
      unit: 3,
      number: 5,
      usage: 80,
      currentValue: 80,
      remaining: 0,
      percentage: 100,
      nextResetTime: t0.getTime() + 5 * H,
    });
    expect(limits[1]).toMatchObject({ unit: 6, currentValue: 80, remaining: 320, percentage: 20 });
  });

  it("PLAN-2: a grandfathered subscriber has no weekly (unit 6) item and a 5-hour usage of 120", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite", { version: 1 });
    const r = await get(LIMIT, { auth: `Bearer ${s.secret}` });
    expect(r.body).toStrictEqual({
      code: 200,
      msg: "Operation successful",
      success: true,
      data: {
        level: "lite",
        limits: [
          { type: "TOKENS_LIMIT", unit: 3, number: 5, usage: 120, currentValue: 0, remaining: 120, percentage: 0 },
          {
            type: "TIME_LIMIT",
            unit: 5,
            number: 1,
            usage: 100,
            currentValue: 0,
            remaining: 100,
            percentage: 0,
            usageDetails: [
              { modelCode: "search-prime", usage: 0 },
              { modelCode: "web-reader", usage: 0 },
            ],
          },
        ],
      },
    });
  });

  it("COMPAT: level is the tier in lower case (pro)", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const r = await get(LIMIT, { auth: s.secret });
    const data = r.body.data as { level: string; limits: Json[] };
    expect(data.level).toBe("pro");
    expect(data.limits.map((l) => [l.unit, l.number, l.usage])).toEqual([
      [3, 5, 400],
      [6, 1, 2000],
      [5, 1, 1000],
    ]);
  });
});

describe("COMPAT: GET /api/monitor/usage/model-usage and /tool-usage", () => {
  const range = (from: number, to: number) =>
    `startTime=${encodeURIComponent(utc8(from))}&endTime=${encodeURIComponent(utc8(to))}`;
  const labels = (from: number, to: number) =>
    Array.from({ length: (to - from) / H }, (_, i) => utc8(from + i * H).slice(0, 16));

  it("COMPAT: model-usage answers hourly UTC+8 buckets with tokens from the gateway's usage reports, aligned with x_time", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const report = (body: Json) => decide("usage", { key: s.secret, ...body });
    expect(
      (await report({ requestId: "u1", model: "GLM-4.7", inputTokens: 100, outputTokens: 50, cachedTokens: 30 })).body,
    ).toStrictEqual({ recorded: true, duplicate: false });
    // A retried report is stored once.
    expect(
      (await report({ requestId: "u1", model: "GLM-4.7", inputTokens: 100, outputTokens: 50, cachedTokens: 30 })).body,
    ).toStrictEqual({ recorded: true, duplicate: true });
    expect((await report({ requestId: "u2", model: "glm-4.6", inputTokens: 7, outputTokens: 3 })).body).toStrictEqual({
      recorded: true,
      duplicate: false,
    });

    const reports = await t.db.usageReport.findMany({ where: { subscriptionId: s.sub.id } });
    expect(reports.map((r) => r.model).sort()).toEqual(["glm-4.6", "glm-4.7"]);
    const times = reports.map((r) => r.at.getTime());
    const from = floorHour(Math.min(...times)) - 2 * H;
    const to = floorHour(Math.max(...times)) + 2 * H;
    // At the edges: a report 1 ms before startTime is out, one at startTime and one 1 ms before endTime are in.
    const direct = (requestId: string, at: number, inputTokens: number) =>
      t.db.usageReport.create({
        data: {
          subscriptionId: s.sub.id,
          requestId,
          keyId: s.keyId,
          promptId: requestId,
          model: "glm-4.7",
          inputTokens,
          outputTokens: 0,
          cachedTokens: 0,
          at: new Date(at),
        },
      });
    await direct("edge-before", from - 1, 1000);
    await direct("edge-start", from, 2000);
    await direct("edge-end", to - 1, 4000);

    const x_time = labels(from, to);
    const series = (entries: [number, number][]) => {
      const out = x_time.map(() => 0);
      for (const [at, n] of entries) out[(floorHour(at) - from) / H] += n;
      return out;
    };
    const at = (id: string) => reports.find((r) => r.requestId === id)!.at.getTime();
    const r = await get(`/api/monitor/usage/model-usage?${range(from, to)}`, { auth: `Bearer ${s.secret}` });
    expect(r.status).toBe(200);
    const data = r.body.data as {
      x_time: string[];
      modelDataList: { modelName: string; tokensUsage: number[] }[];
      totalUsage: number;
    };
    expect({
      ...r.body,
      data: { ...data, modelDataList: [...data.modelDataList].sort((a, b) => a.modelName.localeCompare(b.modelName)) },
    }).toStrictEqual({
      code: 200,
      msg: "Operation successful",
      success: true,
      data: {
        x_time,
        modelDataList: [
          { modelName: "glm-4.6", tokensUsage: series([[at("u2"), 10]]) },
          {
            modelName: "glm-4.7",
            tokensUsage: series([
              [at("u1"), 150],
              [from, 2000],
              [to - 1, 4000],
            ]),
          },
        ],
        totalUsage: 6160,
      },
    });
    expect(x_time).toHaveLength(Math.round((to - from) / H));
    for (const m of data.modelDataList) expect(m.tokensUsage).toHaveLength(x_time.length);
    for (const label of data.x_time) expect(label).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it("COMPAT: tool-usage counts search-prime, web-reader and vision calls per hourly bucket; prompts are not tools", async () => {
    const s = await subscriberWithKey(t.db, new Date(Date.now() - 3 * H), "lite");
    const now = Date.now();
    const earlier = now - H;
    const uses: [number, "web_search" | "web_reader" | "vision" | "prompt"][] = [
      [earlier, "web_search"],
      [earlier, "vision"],
      [now, "web_search"],
      [now, "web_search"],
      [now, "web_reader"],
      [now, "prompt"],
    ];
    for (const [at, kind] of uses) {
      expect(
        (await ask(context(), s.secret, new Date(at), { kind, model: kind === "vision" ? "glm-4.6v" : "glm-4.7" }))
          .allowed,
      ).toBe(true);
    }
    const from = floorHour(earlier) - H;
    const to = floorHour(now) + H;
    const x_time = labels(from, to);
    const counts = (kind: string) => {
      const out = x_time.map(() => 0);
      for (const [at, k] of uses) if (k === kind) out[(floorHour(at) - from) / H] += 1;
      return out;
    };
    const r = await get(`/api/monitor/usage/tool-usage?${range(from, to)}`, { auth: s.secret, lang: "zh-CN" });
    expect(r.status).toBe(200);
    const data = r.body.data as { x_time: string[]; toolDataList: { toolName: string; usage: number[] }[] };
    expect([r.body.code, r.body.msg, r.body.success]).toEqual([200, "操作成功", true]);
    expect(data.x_time).toEqual(x_time);
    expect(Object.keys(data).sort()).toEqual(["toolDataList", "x_time"]);
    expect([...data.toolDataList].sort((a, b) => a.toolName.localeCompare(b.toolName))).toStrictEqual([
      { toolName: "search-prime", usage: counts("web_search") },
      { toolName: "vision", usage: counts("vision") },
      { toolName: "web-reader", usage: counts("web_reader") },
    ]);
  });

  it("COMPAT: exactly 31 days is accepted (744 hourly buckets), one second more is refused naming endTime", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const ok = await get(
      `/api/monitor/usage/model-usage?startTime=${encodeURIComponent("2027-01-01 00:00:00")}&endTime=${encodeURIComponent("2027-02-01 00:00:00")}`,
      { auth: s.secret },
    );
    expect(ok.body.success).toBe(true);
    const data = ok.body.data as { x_time: string[]; modelDataList: unknown[]; totalUsage: number };
    expect(data.x_time).toHaveLength(744);
    expect([data.x_time[0], data.x_time[743]]).toEqual(["2027-01-01 00:00", "2027-01-31 23:00"]);
    expect([data.modelDataList, data.totalUsage]).toEqual([[], 0]);
    for (const path of ["model-usage", "tool-usage"]) {
      const over = await get(
        `/api/monitor/usage/${path}?startTime=${encodeURIComponent("2027-01-01 00:00:00")}&endTime=${encodeURIComponent("2027-02-01 00:00:01")}`,
        { auth: s.secret },
      );
      expect(over.status).toBe(200);
      expect(over.body).toStrictEqual({ code: 400, msg: expect.stringContaining("endTime"), success: false });
    }
  });

  it.each([
    ["an impossible startTime (Feb 30)", "2027-02-30 00:00:00", "2027-03-01 00:00:00", "startTime"],
    ["a startTime in ISO form", "2027-03-01T00:00:00", "2027-03-02 00:00:00", "startTime"],
    ["a date-only startTime", "2027-03-01", "2027-03-02 00:00:00", "startTime"],
    ["a missing startTime", null, "2027-03-02 00:00:00", "startTime"],
    ["an unparsable endTime", "2027-03-01 00:00:00", "tomorrow", "endTime"],
    ["a missing endTime", "2027-03-01 00:00:00", null, "endTime"],
    ["an endTime before startTime", "2027-03-02 00:00:00", "2027-03-01 00:00:00", "endTime"],
  ])("COMPAT: %s is refused with success:false, code 400 and a msg naming %s", async (_name, start, end, field) => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const q = new URLSearchParams();
    if (start !== null) q.set("startTime", start);
    if (end !== null) q.set("endTime", end);
    for (const path of ["model-usage", "tool-usage"]) {
      for (const lang of ["en-US", "zh-CN"]) {
        const r = await get(`/api/monitor/usage/${path}?${q}`, { auth: s.secret, lang });
        expect(r.status).toBe(200);
        expect(r.body).toStrictEqual({ code: 400, msg: expect.stringContaining(field), success: false });
        if (field === "startTime") expect(r.body.msg).not.toContain("endTime");
      }
    }
  });

  it("COMPAT: the history read-outs use the same auth refusals (1001, 401, 1309)", async () => {
    const q = `startTime=${encodeURIComponent("2027-03-01 00:00:00")}&endTime=${encodeURIComponent("2027-03-02 00:00:00")}`;
    const userId = await makeUser(t.db, new Date());
    const { secret } = await createKey(t.db, userId, "laptop", new Date());
    for (const path of ["model-usage", "tool-usage"]) {
      expect((await get(`/api/monitor/usage/${path}?${q}`)).body).toStrictEqual({
        code: 1001,
        msg: "Authorization Token Missing",
        success: false,
      });
      expect((await get(`/api/monitor/usage/${path}?${q}`, { auth: "Bearer nope" })).body).toStrictEqual({
        code: 401,
        msg: "token expired or incorrect",
        success: false,
      });
      expect((await get(`/api/monitor/usage/${path}?${q}`, { auth: secret })).body).toStrictEqual({
        code: 1309,
        msg: "The current user has no coding plan",
        success: false,
      });
    }
  });
});

describe("COMPAT: GET /api/biz/subscription/list", () => {
  const LIST = "/api/biz/subscription/list";

  it("COMPAT: a subscriber's plan in the provider's shape, nextRenewTime in epoch ms", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const r = await get(LIST, { auth: `Bearer ${s.secret}` });
    expect(r.status).toBe(200);
    expect(r.body).toStrictEqual({
      code: 200,
      msg: "Operation successful",
      success: true,
      data: [
        {
          productName: "GLM Coding Lite",
          level: "lite",
          status: "ACTIVE",
          billingCycle: "monthly",
          autoRenew: true,
          nextRenewTime: s.sub.periodEnd.getTime(),
        },
      ],
    });
    expect(String((r.body.data as Json[])[0].nextRenewTime)).toMatch(/^\d{13}$/);
    expect((await get(LIST, { auth: s.secret, lang: "zh" })).body.msg).toBe("操作成功");
  });

  it("COMPAT: autoRenew follows the subscription (false after a cancel)", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    await t.db.subscription.update({
      where: { id: s.sub.id },
      data: { autoRenew: false, canceledAt: new Date(), updatedAt: new Date() },
    });
    await expect
      .poll(async () => (await get(LIST, { auth: s.secret })).body.data)
      .toStrictEqual([
        {
          productName: "GLM Coding Pro",
          level: "pro",
          status: "ACTIVE",
          billingCycle: "monthly",
          autoRenew: false,
          nextRenewTime: s.sub.periodEnd.getTime(),
        },
      ]);
  });

  it("COMPAT: a key without a plan gets an empty list; no key 1001; unknown key 401", async () => {
    const userId = await makeUser(t.db, new Date());
    const { secret } = await createKey(t.db, userId, "laptop", new Date());
    expect((await get(LIST, { auth: secret })).body).toStrictEqual({
      code: 200,
      msg: "Operation successful",
      success: true,
      data: [],
    });
    expect((await get(LIST)).body).toStrictEqual({ code: 1001, msg: "Authorization Token Missing", success: false });
    expect((await get(LIST, { auth: "Bearer cp_unknown" })).body).toStrictEqual({
      code: 401,
      msg: "token expired or incorrect",
      success: false,
    });
  });
});

describe("COMPAT: the gateway decision API (POST /api/gateway/v1/*)", () => {
  const count = async (subscriptionId: string) => ({
    uses: await t.db.quotaUse.count({ where: { subscriptionId } }),
    reports: await t.db.usageReport.count({ where: { subscriptionId } }),
    slots: await t.db.quotaSlot.count({ where: { subscriptionId } }),
  });

  it("QUOTA-1: a missing or wrong gateway secret is 401 in the error shape, for every operation, and records nothing", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const bodies: Record<string, Json> = {
      consume: { key: s.secret, model: "glm-4.7", kind: "prompt", requestId: "r1" },
      usage: { key: s.secret, requestId: "r1", model: "glm-4.7", inputTokens: 1, outputTokens: 1 },
      "slots/acquire": { key: s.secret, requestId: "r1" },
      "slots/release": { key: s.secret, requestId: "r1" },
    };
    for (const [op, body] of Object.entries(bodies)) {
      for (const auth of [null, `Bearer ${"h".repeat(40)}`, "Bearer short", `Bearer ${SECRET}x`]) {
        const r = await decide(op, body, { auth });
        expect(r.status).toBe(401);
        expect(r.body).toStrictEqual({ error: { code: "401", message: expect.any(String) } });
        expect((r.body.error as Json).message).not.toBe("");
      }
    }
    expect(await count(s.sub.id)).toEqual({ uses: 0, reports: 0, slots: 0 });
  });

  it.each<[string, string, (key: string) => unknown, string]>([
    ["consume without requestId", "consume", (key) => ({ key, model: "glm-4.7", kind: "prompt" }), "requestId"],
    [
      "consume with a blank requestId",
      "consume",
      (key) => ({ key, model: "glm-4.7", kind: "prompt", requestId: "   " }),
      "requestId",
    ],
    [
      "consume with an unknown kind",
      "consume",
      (key) => ({ key, model: "glm-4.7", kind: "banana", requestId: "r-bad-kind" }),
      "kind",
    ],
    [
      "consume of a prompt without a model",
      "consume",
      (key) => ({ key, kind: "prompt", requestId: "r-no-model" }),
      "model",
    ],
    ["consume without a key", "consume", () => ({ model: "glm-4.7", kind: "prompt", requestId: "r-no-key" }), "key"],
    [
      "usage with negative inputTokens",
      "usage",
      (key) => ({ key, requestId: "r-neg", model: "glm-4.7", inputTokens: -1, outputTokens: 5 }),
      "inputTokens",
    ],
    [
      "usage with fractional outputTokens",
      "usage",
      (key) => ({ key, requestId: "r-frac", model: "glm-4.7", inputTokens: 1, outputTokens: 1.5 }),
      "outputTokens",
    ],
    [
      "usage without requestId",
      "usage",
      (key) => ({ key, model: "glm-4.7", inputTokens: 1, outputTokens: 1 }),
      "requestId",
    ],
    ["slots/acquire without requestId", "slots/acquire", (key) => ({ key }), "requestId"],
    ["slots/release without requestId", "slots/release", (key) => ({ key }), "requestId"],
    ["a body that is not JSON", "consume", () => "{not json", "body"],
  ])(
    "COMPAT: %s is 400 with error.code 1210 naming the field, and nothing is recorded",
    async (_name, op, body, field) => {
      const s = await subscriberWithKey(t.db, new Date(), "lite");
      const r = await decide(op, body(s.secret));
      expect(r.status).toBe(400);
      expect(r.body).toStrictEqual({ error: { code: "1210", message: expect.stringContaining(field) } });
      const zh = await decide(op, body(s.secret), { lang: "zh-CN" });
      expect(zh.body).toStrictEqual({ error: { code: "1210", message: expect.stringContaining(field) } });
      expect(await count(s.sub.id)).toEqual({ uses: 0, reports: 0, slots: 0 });
    },
  );

  it("QUOTA-1/10: an allowed prompt answers the three windows; an MCP call needs no model", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const r = await decide("consume", { key: s.secret, model: "GLM-4.7", kind: "prompt", requestId: "allow-1" });
    expect(r.status).toBe(200);
    const use = await t.db.quotaUse.findUniqueOrThrow({
      where: { subscriptionId_requestId: { subscriptionId: s.sub.id, requestId: "allow-1" } },
    });
    expect([use.model, use.units, use.kind]).toEqual(["glm-4.7", 1, "prompt"]);
    const weekEnd = s.sub.orderedAt.getTime() + 7 * DAY;
    expect(r.body).toStrictEqual({
      allowed: true,
      duplicate: false,
      cost: 1,
      promptId: "allow-1",
      continued: false,
      tier: "lite",
      windows: {
        fiveHour: { limit: 80, used: 1, remaining: 79, percentage: 1, resetTime: use.at.getTime() + 5 * H },
        weekly: { limit: 400, used: 1, remaining: 399, percentage: 0, resetTime: weekEnd },
        monthly: { limit: 100, used: 0, remaining: 100, percentage: 0 },
      },
    });
    const mcp = await decide("consume", { key: s.secret, kind: "web_search", requestId: "allow-2" });
    const mcpAt = (
      await t.db.quotaUse.findUniqueOrThrow({
        where: { subscriptionId_requestId: { subscriptionId: s.sub.id, requestId: "allow-2" } },
      })
    ).at;
    expect(mcp.body).toStrictEqual({
      allowed: true,
      duplicate: false,
      cost: 1,
      promptId: "allow-2",
      continued: false,
      tier: "lite",
      windows: {
        fiveHour: { limit: 80, used: 1, remaining: 79, percentage: 1, resetTime: use.at.getTime() + 5 * H },
        weekly: { limit: 400, used: 1, remaining: 399, percentage: 0, resetTime: weekEnd },
        monthly: { limit: 100, used: 1, remaining: 99, percentage: 1, resetTime: shanghaiMonthEnd(mcpAt.getTime()) },
      },
    });
  });

  it("QUOTA-7: a spent 5-hour quota answers allowed:false with refusal 1308 / 429, the reset time in ms and in the message", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const t0 = new Date();
    await exhaust(s.secret, t0);
    const reset = t0.getTime() + 5 * H;
    const r = await decide("consume", { key: s.secret, model: "glm-4.7", kind: "prompt", requestId: "deny-1" });
    expect(r.status).toBe(200);
    expect(r.body).toStrictEqual({
      allowed: false,
      refusal: {
        code: "1308",
        status: 429,
        message: `Usage limit reached for 5 hour. Your limit will reset at ${resetText(reset)}`,
        resetTime: reset,
      },
      windows: {
        fiveHour: { limit: 80, used: 80, remaining: 0, percentage: 100, resetTime: reset },
        weekly: {
          limit: 400,
          used: 80,
          remaining: 320,
          percentage: 20,
          resetTime: s.sub.orderedAt.getTime() + 7 * DAY,
        },
        monthly: { limit: 100, used: 0, remaining: 100, percentage: 0 },
      },
    });
    const zh = await decide(
      "consume",
      { key: s.secret, model: "glm-4.7", kind: "prompt", requestId: "deny-2" },
      { lang: "zh-CN" },
    );
    expect((zh.body.refusal as Json).message).toBe(`已达到 5 小时的使用上限。您的限额将在 ${resetText(reset)} 重置。`);
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(80);
  });

  it("QUOTA-2: a retried requestId that was allowed is answered allowed again even after the window filled up", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const first = await decide("consume", { key: s.secret, model: "glm-4.7", kind: "prompt", requestId: "early" });
    expect(first.body).toMatchObject({ allowed: true, duplicate: false });
    await Promise.all(Array.from({ length: 79 }, () => ask(context(), s.secret, new Date())));
    const retry = await decide("consume", { key: s.secret, model: "glm-4.7", kind: "prompt", requestId: "early" });
    expect(retry.body).toMatchObject({ allowed: true, duplicate: true, cost: 1 });
    const fresh = await decide("consume", { key: s.secret, model: "glm-4.7", kind: "prompt", requestId: "late" });
    expect(fresh.body).toMatchObject({ allowed: false, refusal: { code: "1308", status: 429 } });
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(80);
  });

  it("QUOTA-3/7: a spent weekly cap answers refusal 1310 / 429 with the week's end (order time + 7 days)", async () => {
    const now = Date.now();
    const s = await subscriberWithKey(t.db, new Date(now - 26 * H), "lite");
    const ordered = s.sub.orderedAt.getTime();
    // 5 bursts of 80, 5 hours apart: the 5-hour window never binds, the week (400) does.
    for (let burst = 0; burst < 5; burst++) await exhaust(s.secret, new Date(ordered + burst * 5 * H));
    const weekEnd = ordered + 7 * DAY;
    const r = await decide("consume", { key: s.secret, model: "glm-4.7", kind: "prompt", requestId: "week-full" });
    expect(r.body).toMatchObject({
      allowed: false,
      refusal: {
        code: "1310",
        status: 429,
        message: `Weekly/Monthly Limit Exhausted. Your limit will reset at ${resetText(weekEnd)}`,
        resetTime: weekEnd,
      },
      windows: {
        fiveHour: { used: 0, remaining: 80 },
        weekly: { limit: 400, used: 400, remaining: 0, percentage: 100, resetTime: weekEnd },
      },
    });
    const zh = await decide(
      "consume",
      { key: s.secret, model: "glm-4.7", kind: "prompt", requestId: "week-full-zh" },
      { lang: "zh-CN" },
    );
    expect((zh.body.refusal as Json).message).toBe(
      `已达到每周/每月使用上限。您的限额将在 ${resetText(weekEnd)} 重置。`,
    );
  });

  it("QUOTA-4/7: a spent monthly MCP count answers refusal 1310 / 429 with the Shanghai month's end", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const t0 = new Date();
    const r100 = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        ask(context(), s.secret, t0, { kind: i % 2 ? "web_search" : "web_reader" }),
      ),
    );
    expect(r100.every((d) => d.allowed)).toBe(true);
    const monthEnd = shanghaiMonthEnd(t0.getTime());
    const r = await decide("consume", { key: s.secret, kind: "web_reader", requestId: "month-full" });
    expect(r.body).toMatchObject({
      allowed: false,
      refusal: {
        code: "1310",
        status: 429,
        message: `Weekly/Monthly Limit Exhausted. Your limit will reset at ${resetText(monthEnd)}`,
        resetTime: monthEnd,
      },
      windows: { monthly: { limit: 100, used: 100, remaining: 0, percentage: 100, resetTime: monthEnd } },
    });
    // Prompts still pass: the MCP count is its own pool.
    expect(
      (await decide("consume", { key: s.secret, model: "glm-4.7", kind: "prompt", requestId: "still-ok" })).body
        .allowed,
    ).toBe(true);
  });

  it("QUOTA-2: the same requestId sent 20 times in parallel is counted once", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const body = { key: s.secret, model: "glm-4.7", kind: "prompt", requestId: `same-${randomUUID()}` };
    const answers = await Promise.all(Array.from({ length: 20 }, () => decide("consume", body)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.map((a) => a.body.allowed)).toEqual(Array(20).fill(true));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(19);
    for (const a of answers) expect((a.body.windows as { fiveHour: Json }).fiveHour.used).toBe(1);
    const used = await t.db.quotaUse.aggregate({
      where: { subscriptionId: s.sub.id },
      _sum: { units: true },
      _count: true,
    });
    expect([used._count, used._sum.units]).toEqual([1, 1]);
  });

  it("QUOTA-1: a usage report with an unknown key is not recorded and says why", async () => {
    const r = await decide("usage", {
      key: "cp_nobody",
      requestId: "u-x",
      model: "glm-4.7",
      inputTokens: 1,
      outputTokens: 1,
    });
    expect(r.status).toBe(200);
    expect(r.body).toStrictEqual({
      recorded: false,
      refusal: { code: "401", status: 401, message: "token expired or incorrect" },
    });
  });

  it("QUOTA-8: Lite holds 2 slots under parallel acquires, the rest get 1302; a release frees one; a repeat acquire renews", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const before = Date.now();
    const tries = await Promise.all(
      Array.from({ length: 8 }, (_, i) => decide("slots/acquire", { key: s.secret, requestId: `slot-${i}` })),
    );
    const after = Date.now();
    expect(tries.map((a) => a.status)).toEqual(Array(8).fill(200));
    const won = tries.map((a, i) => [a, i] as const).filter(([a]) => a.body.acquired === true);
    expect(won).toHaveLength(2);
    for (const [a] of won) {
      expect(a.body).toStrictEqual({
        acquired: true,
        renewed: false,
        held: expect.any(Number),
        limit: 2,
        leaseUntil: expect.any(Number),
      });
      expect([1, 2]).toContain(a.body.held);
      // The default lease is 120 s.
      expect(a.body.leaseUntil as number).toBeGreaterThanOrEqual(before + 120_000);
      expect(a.body.leaseUntil as number).toBeLessThanOrEqual(after + 120_000);
    }
    for (const a of tries.filter((x) => x.body.acquired !== true)) {
      expect(a.body).toStrictEqual({
        acquired: false,
        held: 2,
        limit: 2,
        refusal: { code: "1302", status: 429, message: "Rate limit reached for requests" },
      });
    }
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(2);

    const [holder, other] = won.map(([, i]) => `slot-${i}`);
    const renew = await decide("slots/acquire", { key: s.secret, requestId: other });
    expect(renew.body).toMatchObject({ acquired: true, renewed: true, held: 2, limit: 2 });
    expect((await decide("slots/release", { key: s.secret, requestId: holder })).body).toStrictEqual({
      released: true,
    });
    expect((await decide("slots/release", { key: s.secret, requestId: holder })).body).toStrictEqual({
      released: false,
    });
    const next = await decide("slots/acquire", { key: s.secret, requestId: "slot-next" });
    expect(next.body).toMatchObject({ acquired: true, renewed: false, held: 2, limit: 2 });
    const full = await decide("slots/acquire", { key: s.secret, requestId: "slot-full" });
    expect(full.body).toStrictEqual({
      acquired: false,
      held: 2,
      limit: 2,
      refusal: { code: "1302", status: 429, message: "Rate limit reached for requests" },
    });
  });

  it("QUOTA-8: a call whose key was revoked meanwhile still frees its slot (slots/release), so the user's other keys are not blocked", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const other = await createKey(t.db, s.userId, "desktop", new Date());
    for (const requestId of ["held-1", "held-2"])
      expect((await decide("slots/acquire", { key: s.secret, requestId })).body.acquired).toBe(true);
    await revokeKey(t.db, s.userId, s.keyId, new Date());
    // Wait until the app's cache has dropped the key (as it has on a real gateway by the time a call ends).
    await expect.poll(async () => (await get(LIMIT, { auth: s.secret })).body.code).toBe(401);
    expect((await decide("slots/release", { key: s.secret, requestId: "held-1" })).body).toStrictEqual({
      released: true,
    });
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(1);
    expect((await decide("slots/acquire", { key: other.secret, requestId: "other-1" })).body.acquired).toBe(true);
  });

  it("QUOTA-8: a call whose plan ended meanwhile still frees its slot", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    expect((await decide("slots/acquire", { key: s.secret, requestId: "ending" })).body.acquired).toBe(true);
    await t.db.subscription.update({
      where: { id: s.sub.id },
      data: { status: "expired", endedAt: new Date(), updatedAt: new Date() },
    });
    await expect.poll(async () => (await get(LIMIT, { auth: s.secret })).body.code).toBe(1309);
    expect((await decide("slots/release", { key: s.secret, requestId: "ending" })).body).toStrictEqual({
      released: true,
    });
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });
});

describe("COMPAT: error shapes of the coding-plan model endpoints (raw HTTP)", () => {
  const CHAT = "/api/coding/paas/v4/chat/completions";
  const MESSAGES = "/api/anthropic/v1/messages";
  const REQ_ID = /^req_[0-9a-f]{32}$/;

  it("QUOTA-7: OpenAI shape — 1308 with HTTP 429, code a string, message with the reset time, in English and Chinese", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const t0 = new Date();
    await exhaust(s.secret, t0);
    const reset = resetText(t0.getTime() + 5 * H);
    const en = await post(CHAT, chatBody(), { authorization: `Bearer ${s.secret}` });
    expect(en.status).toBe(429);
    expect(en.body).toStrictEqual({
      error: { code: "1308", message: `Usage limit reached for 5 hour. Your limit will reset at ${reset}` },
    });
    const zh = await post(CHAT, chatBody(), {
      authorization: `Bearer ${s.secret}`,
      "accept-language": "zh-CN,zh;q=0.9",
    });
    expect(zh.status).toBe(429);
    expect(zh.body).toStrictEqual({
      error: { code: "1308", message: `已达到 5 小时的使用上限。您的限额将在 ${reset} 重置。` },
    });
    // Refused calls spend nothing and hold no slot.
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(80);
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("QUOTA-7: Anthropic shape — {type:'error', error:{type:'1308', message}, request_id:'req_…'} with HTTP 429, in English and Chinese", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const t0 = new Date();
    await exhaust(s.secret, t0);
    const reset = resetText(t0.getTime() + 5 * H);
    const en = await post(MESSAGES, anthropicBody(), { "x-api-key": s.secret, "anthropic-version": "2023-06-01" });
    expect(en.status).toBe(429);
    expect(en.body).toStrictEqual({
      type: "error",
      error: { type: "1308", message: `Usage limit reached for 5 hour. Your limit will reset at ${reset}` },
      request_id: expect.stringMatching(REQ_ID),
    });
    expect(en.headers.get("request-id")).toBe(en.body.request_id);
    const zh = await post(MESSAGES, anthropicBody(), { authorization: `Bearer ${s.secret}`, "accept-language": "zh" });
    expect(zh.status).toBe(429);
    expect(zh.body).toStrictEqual({
      type: "error",
      error: { type: "1308", message: `已达到 5 小时的使用上限。您的限额将在 ${reset} 重置。` },
      request_id: expect.stringMatching(REQ_ID),
    });
    expect(zh.body.request_id).not.toBe(en.body.request_id);
  });

  it("QUOTA-8: over the concurrency limit the model endpoint answers 1302 / 429 at once, without Retry-After, and spends nothing", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    for (const requestId of ["busy-1", "busy-2"])
      expect((await decide("slots/acquire", { key: s.secret, requestId })).body.acquired).toBe(true);
    const r = await post(CHAT, chatBody(), { authorization: `Bearer ${s.secret}` });
    expect(r.status).toBe(429);
    expect(r.body).toStrictEqual({ error: { code: "1302", message: "Rate limit reached for requests" } });
    expect(r.headers.get("retry-after")).toBeNull();
    const a = await post(MESSAGES, anthropicBody(), { "x-api-key": s.secret });
    expect(a.status).toBe(429);
    expect(a.body).toStrictEqual({
      type: "error",
      error: { type: "1302", message: "Rate limit reached for requests" },
      request_id: expect.stringMatching(REQ_ID),
    });
    expect(a.headers.get("retry-after")).toBeNull();
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("COMPAT: a body without messages is 400 with code 1210 naming the field, in each shape, and spends nothing", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const o = await post(CHAT, { model: "glm-4.7" }, { authorization: `Bearer ${s.secret}` });
    expect(o.status).toBe(400);
    expect(o.body).toStrictEqual({ error: { code: "1210", message: expect.stringContaining("messages") } });
    const a = await post(MESSAGES, { model: "glm-4.7", max_tokens: 10 }, { "x-api-key": s.secret });
    expect(a.status).toBe(400);
    expect(a.body).toStrictEqual({
      type: "error",
      error: { type: "1210", message: expect.stringContaining("messages") },
      request_id: expect.stringMatching(REQ_ID),
    });
    const notJson = await post(CHAT, "{oops", { authorization: `Bearer ${s.secret}` });
    expect(notJson.status).toBe(400);
    expect((notJson.body.error as Json).code).toBe("1210");
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("COMPAT: an invalid key is 401 (code '401') and a missing key 401 (code '1001'), in each shape", async () => {
    const bad = `cp_${"z".repeat(32)}`;
    const o = await post(CHAT, chatBody(), { authorization: `Bearer ${bad}` });
    expect(o.status).toBe(401);
    expect(o.body).toStrictEqual({ error: { code: "401", message: "token expired or incorrect" } });
    const a = await post(MESSAGES, anthropicBody(), { "x-api-key": bad });
    expect(a.status).toBe(401);
    expect(a.body).toStrictEqual({
      type: "error",
      error: { type: "401", message: "token expired or incorrect" },
      request_id: expect.stringMatching(REQ_ID),
    });
    const none = await post(CHAT, chatBody());
    expect(none.status).toBe(401);
    expect(none.body).toStrictEqual({ error: { code: "1001", message: "Authorization Token Missing" } });
    const noneA = await post(MESSAGES, anthropicBody());
    expect(noneA.status).toBe(401);
    expect(noneA.body).toStrictEqual({
      type: "error",
      error: { type: "1001", message: "Authorization Token Missing" },
      request_id: expect.stringMatching(REQ_ID),
    });
  });

  it("QUOTA-5: GLM-5 on Lite is 400 with code '1311', naming the model and the tiers that have it", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const o = await post(CHAT, chatBody("GLM-5"), { authorization: `Bearer ${s.secret}` });
    expect(o.status).toBe(400);
    expect(o.body).toStrictEqual({
      error: { code: "1311", message: expect.stringMatching(/GLM-5.*Pro.*Max|GLM-5.*Max.*Pro/) },
    });
    expect((o.body.error as Json).message).not.toMatch(/auth|token|rate limit/i);
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("COMPAT: a revoked key is refused at once with 401, and the refused call spends nothing", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const first = await post(CHAT, chatBody(), { authorization: `Bearer ${s.secret}` });
    expect(first.status).toBe(200);
    const firstA = await post(MESSAGES, anthropicBody(), { "x-api-key": s.secret });
    expect(firstA.status).toBe(200);
    await revokeKey(t.db, s.userId, s.keyId, new Date());
    const o = await post(CHAT, chatBody(), { authorization: `Bearer ${s.secret}` });
    expect(o.status).toBe(401);
    expect(o.body).toStrictEqual({ error: { code: "401", message: "token expired or incorrect" } });
    const a = await post(MESSAGES, anthropicBody(), { "x-api-key": s.secret });
    expect(a.status).toBe(401);
    expect(a.body).toStrictEqual({
      type: "error",
      error: { type: "401", message: "token expired or incorrect" },
      request_id: expect.stringMatching(REQ_ID),
    });
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(2);
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });
});
