import { afterAll, describe, expect, it } from "vitest";
import { testCall } from "../../lib/connect/test-call";
import { baseUrls, toolSettings } from "../../lib/connect/settings";
import type { GatewayDeps } from "../../lib/gateway/call";
import { outcomeTally } from "../../lib/ops/outcomes";
import { modelRules, modelsForTier } from "../../lib/quota";
import { setupFreshDatabase } from "../support/database";
import { servers } from "../support/gateway";
import { ctxOf, subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();
let deps: GatewayDeps;
const logged: string[] = [];
const tally = outcomeTally(
  () => t.db,
  async () => new Date("2027-03-01T12:00:00Z"),
  60_000,
);
const gateway = () =>
  (deps ??= {
    ctx: ctxOf(t.db, t.url),
    now: async () => new Date(),
    leaseSeconds: 60,
    servers: servers(),
    log: (l) => logged.push(l),
  });
afterAll(async () => {
  await tally.stop();
  await deps?.ctx.cache.stop();
});
const who = (userId: string, over: Partial<{ clientAddress: string; language: string }> = {}) => ({
  userId,
  clientAddress: "127.0.0.1",
  language: "en",
  origin: "https://plan.example.com",
  ...over,
});

describe("connect your tool", () => {
  it("CONNECT-1: every tool's settings carry this deployment's base URL for its wire, the key variable and only the tier's models", () => {
    const base = baseUrls("https://plan.example.com/");
    expect(base).toEqual({
      anthropic: "https://plan.example.com/api/anthropic",
      openai: "https://plan.example.com/api/coding/paas/v4",
    });
    const lite = modelsForTier(modelRules(), "lite").map((m) => m.id);
    const pro = modelsForTier(modelRules(), "pro").map((m) => m.id);
    expect(lite).not.toContain("glm-5");
    expect(pro).toContain("glm-5");
    const tools = toolSettings(base, lite);
    expect(tools.map((x) => x.name)).toEqual([
      "Claude Code",
      "Cline",
      "OpenCode",
      "Kilo Code",
      "Roo Code",
      "Crush",
      "Goose",
      "OpenAI SDK",
      "Anthropic SDK",
    ]);
    for (const tool of tools) {
      expect(tool.snippet).toContain(
        tool.wire === "anthropic"
          ? base.anthropic
          : tool.id === "goose"
            ? "api/coding/paas/v4/chat/completions"
            : base.openai,
      );
      expect(tool.snippet).toMatch(/ANTHROPIC_AUTH_TOKEN|ANTHROPIC_API_KEY|OPENAI_API_KEY|CODEPLAN_API_KEY|API Key:/);
      expect(tool.snippet).not.toContain("glm-5");
    }
    expect(toolSettings(base, pro).find((x) => x.id === "opencode")!.snippet).toContain('"glm-5"');
    expect(JSON.parse(tools.find((x) => x.id === "crush")!.snippet).providers.codeplan.base_url).toBe(base.openai);
  });

  it("CONNECT-1: the test call goes through the gateway with the user's own key, answers and spends one prompt, on both wires", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const openai = await testCall(t.db, gateway(), () => tally, who(s.userId), {
      wire: "openai",
      key: s.secret,
      model: "glm-4.7",
    });
    expect(openai).toMatchObject({ ok: true });
    expect(openai.ok && openai.answer.length).toBeGreaterThan(0);
    const anthropic = await testCall(t.db, gateway(), () => tally, who(s.userId), {
      wire: "anthropic",
      key: s.secret,
      model: "glm-4.7",
    });
    expect(anthropic).toMatchObject({ ok: true });
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(2);
    await expect.poll(() => t.db.usageReport.count({ where: { subscriptionId: s.sub.id } })).toBe(2);
    // The key is never written to the gateway's log.
    expect(logged.join("\n")).not.toContain(s.secret);
  });

  it("CONNECT-1: a refusal comes back with its code, status and the gateway's message in the asker's language (GLM-5 on Lite: 1311)", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const r = await testCall(t.db, gateway(), () => tally, who(s.userId, { language: "zh-CN" }), {
      wire: "anthropic",
      key: s.secret,
      model: "glm-5",
    });
    expect(r).toMatchObject({ ok: false, reason: "refused", code: "1311", status: 400 });
    expect(!r.ok && r.reason === "refused" && r.message).toMatch(/[\u4e00-\u9fff]/);
    const o = await testCall(t.db, gateway(), () => tally, who(s.userId), {
      wire: "openai",
      key: s.secret,
      model: "glm-5",
    });
    expect(o).toMatchObject({ ok: false, reason: "refused", code: "1311", status: 400 });
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("CONNECT-1: another user's key is refused before any call is made; a revoked key of one's own gets the gateway's 401", async () => {
    const a = await subscriberWithKey(t.db, new Date(), "pro");
    const b = await subscriberWithKey(t.db, new Date(), "pro");
    expect(
      await testCall(t.db, gateway(), () => tally, who(b.userId), { wire: "openai", key: a.secret, model: "glm-4.7" }),
    ).toEqual({ ok: false, reason: "not_your_key" });
    expect(await t.db.quotaUse.count({ where: { subscriptionId: a.sub.id } })).toBe(0);
    await t.db.apiKey.update({ where: { id: b.keyId }, data: { revokedAt: new Date() } });
    await expect
      .poll(async () => {
        const r = await testCall(t.db, gateway(), () => tally, who(b.userId), {
          wire: "openai",
          key: b.secret,
          model: "glm-4.7",
        });
        return r.ok ? "ok" : r.reason === "refused" ? r.code : r.reason;
      })
      .toBe("401");
  });

  it("CONNECT-1: SEC-4 holds for the test call: from a non-loopback address the demo's local responder does not answer and nothing is spent", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "max");
    const r = await testCall(t.db, gateway(), () => tally, who(s.userId, { clientAddress: "203.0.113.9" }), {
      wire: "openai",
      key: s.secret,
      model: "glm-5",
    });
    expect(r).toMatchObject({ ok: false, reason: "refused", code: "503", status: 503 });
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("ADMIN-2: test calls are tallied by outcome in gateway_outcome_days", async () => {
    await tally.flush();
    const rows = await t.db.gatewayOutcomeDay.findMany({ where: { day: new Date("2027-03-01") } });
    const by = Object.fromEntries(rows.map((r) => [r.code, Number(r.calls)]));
    expect(by.ok).toBeGreaterThanOrEqual(2);
    expect(by["1311"]).toBe(2);
    expect(by["503"]).toBe(1);
  });
});
