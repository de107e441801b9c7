import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { testCall } from "../../lib/connect/test-call";
import type { GatewayDeps } from "../../lib/gateway/call";
import { createDecisionServer } from "../../lib/gateway/decision-server";
import { dashboard } from "../../lib/ops/dashboard";
import { instrumentDecisionServer } from "../../lib/ops/decision-metrics";
import { metricsAccess } from "../../lib/ops/metrics-access";
import { outcomeTally } from "../../lib/ops/outcomes";
import { setupFreshDatabase } from "../support/database";
import { servers } from "../support/gateway";
import { ctxOf, subscriberWithKey } from "../support/quota";

const TOKEN = "metrics-token-0123456789";
process.env.METRICS_TOKEN = TOKEN;
const t = setupFreshDatabase();
const NOW = new Date();
let deps: GatewayDeps | undefined;
const gateway = () =>
  (deps ??= {
    ctx: ctxOf(t.db, t.url),
    now: async () => new Date(),
    leaseSeconds: 60,
    servers: servers(),
    log: () => {},
  });
const tally = outcomeTally(
  () => t.db,
  async () => NOW,
  60_000,
);
afterAll(async () => {
  await tally.stop();
  await deps?.ctx.cache.stop();
});

describe("operator dashboard and metrics", () => {
  it("ADMIN-1: the dashboard counts live subscriptions by tier and region, new and upgraded per day, revenue per currency, quota in use, gateway outcomes and the top keys", async () => {
    const lite = await subscriberWithKey(t.db, NOW, "lite");
    const pro = await subscriberWithKey(t.db, NOW, "pro");
    await pro.upgradeTo("max", NOW);
    const who = (userId: string) => ({
      userId,
      clientAddress: "127.0.0.1",
      language: "en",
      origin: "http://localhost",
    });
    for (let i = 0; i < 3; i++)
      expect(
        await testCall(t.db, gateway(), () => tally, who(lite.userId), {
          wire: "openai",
          key: lite.secret,
          model: "glm-4.7",
        }),
      ).toMatchObject({ ok: true });
    expect(
      await testCall(t.db, gateway(), () => tally, who(lite.userId), {
        wire: "openai",
        key: lite.secret,
        model: "glm-5",
      }),
    ).toMatchObject({ code: "1311" });
    await tally.flush();
    await expect.poll(() => t.db.usageReport.count({ where: { subscriptionId: lite.sub.id } })).toBe(3);

    const d = await dashboard(t.db, NOW);
    const today = NOW.toISOString().slice(0, 10);
    expect(d.active).toEqual(
      expect.arrayContaining([
        { tier: "lite", region: "intl", count: 1 },
        { tier: "max", region: "intl", count: 1 },
      ]),
    );
    expect(d.movements.find((m) => m.day === today)).toMatchObject({ new: 2, upgraded: 1, downgraded: 0 });
    const paid = await t.db.invoice.aggregate({
      where: { status: "paid", kind: { not: "top_up" } },
      _sum: { totalMinor: true },
    });
    expect(d.revenue.filter((r) => r.currency === "USD").reduce((a, r) => a + r.amountMinor, 0n)).toBe(
      paid._sum.totalMinor,
    );
    // 3 of Lite's 80 prompts in the 5-hour window.
    expect(d.utilisation.find((u) => u.tier === "lite")!.ratio).toBeCloseTo(3 / 80, 5);
    expect(d.outcomes).toEqual(
      expect.arrayContaining([
        { code: "ok", calls: 3 },
        { code: "1311", calls: 1 },
      ]),
    );
    expect(d.topKeys[0]).toMatchObject({ keyId: lite.keyId, calls: 3 });
    expect(d.dunning).toMatchObject({ invoices: 0, pastDue: 0 });
  });

  it("METRICS-1: GET /metrics answers 404 without a configured token, 401 without or with a wrong one, and Prometheus text with the dashboard's counters with it", async () => {
    expect(metricsAccess(undefined, `Bearer ${TOKEN}`)).toBe(404);
    expect(metricsAccess(TOKEN, null)).toBe(401);
    expect(metricsAccess(TOKEN, `Bearer ${TOKEN}x`)).toBe(401);
    expect(metricsAccess(TOKEN, `Bearer ${TOKEN.slice(0, -1)}`)).toBe(401);
    expect(metricsAccess(TOKEN, `Bearer ${TOKEN}`)).toBe("ok");
    const route = await import("../../app/metrics/route");
    // As Next calls a route handler: with its (here empty) route parameters.
    const GET = (req: Request) => route.GET(req, { params: Promise.resolve({}) });
    expect((await GET(new Request("http://localhost/metrics"))).status).toBe(401);
    expect(
      (await GET(new Request("http://localhost/metrics", { headers: { authorization: "Bearer nope" } }))).status,
    ).toBe(401);
    const r = await GET(new Request("http://localhost/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }));
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    expect(text).toContain('codeplan_active_subscriptions{tier="lite",region="intl"} 1');
    expect(text).toContain('codeplan_gateway_calls_total{code="ok"} 3');
    expect(text).toContain('codeplan_gateway_calls_total{code="1311"} 1');
    expect(text).toContain('codeplan_subscription_events_30d{kind="upgraded"} 1');
    expect(text).toMatch(/codeplan_revenue_minor_30d\{currency="USD"\} \d+/);
    expect(text).toMatch(/codeplan_quota_utilisation_ratio\{tier="lite"\} 0\.0375/);
  });

  it("METRICS-2: the decision server times every decision into a histogram on its own /metrics, behind the same token", async () => {
    const server = createDecisionServer(
      { ctx: gateway().ctx, secret: "s".repeat(40), now: async () => new Date(), leaseSeconds: 60 },
      () => {},
    );
    instrumentDecisionServer(server, TOKEN);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const s = await subscriberWithKey(t.db, NOW, "pro");
      const consume = (secret: string) =>
        fetch(`${base}/api/gateway/v1/consume`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify({ key: s.secret, model: "glm-4.7", requestId: `m-${Math.random()}` }),
        });
      expect((await consume("s".repeat(40))).status).toBe(200);
      expect((await consume("wrong".repeat(10))).status).toBe(401);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const m = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(m.status).toBe(200);
      const text = await m.text();
      expect(text).toMatch(/codeplan_decision_seconds_count\{route="decision_consume",status="200"\} 1/);
      expect(text).toMatch(/codeplan_decision_seconds_count\{route="decision_consume",status="401"\} 1/);
      expect(text).toMatch(
        /codeplan_decision_seconds_bucket\{le="0\.005",route="decision_consume",status="200"\} [01]/,
      );
      expect(text).toContain("codeplan_decision_process_cpu_seconds_total");
      // Unknown paths fold into one label: a caller cannot grow the series.
      await fetch(`${base}/api/gateway/v1/${"x".repeat(30)}`, { method: "POST" });
      expect(
        await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text(),
      ).not.toContain("xxxxxxxx");
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
