import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayDeps } from "../../lib/gateway/call";
import { anthropicMessages } from "../../lib/gateway/anthropic-wire";
import { decisionApi } from "../../lib/gateway/decision-api";
import { appGatewayDeps } from "../../lib/gateway/gateway-deps";
import { openaiChat } from "../../lib/gateway/openai-wire";
import { gatewayRoute } from "../../lib/gateway/route";
import { CLIENT_ADDRESS_HEADER } from "../../lib/http/client-address";
import { policySettings } from "../../lib/policy/config";
import { evaluatePolicy } from "../../lib/policy/evaluate";
import { violationsOf } from "../../lib/policy/queries";
import { createKey } from "../../lib/quota";
import { setupFreshDatabase } from "../support/database";
import { servers } from "../support/gateway";
import { startModelServer, type ModelServer } from "../support/model-server";
import { ctxOf, subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();
const settings = policySettings();
const CC_UA = "claude-cli/2.0.14 (external, cli)";
const ACCOUNT = "6f1c1f9e-1111-4c6e-9a0b-1f2e3d4c5b6a";
/** Claude Code's metadata.user_id: its installation (a device) and the session (with its User-Agent, a client). */
const ccUser = (install: number, session: number) =>
  `user_${String(install).repeat(64).slice(0, 64)}_account_${ACCOUNT}_session_0a1b2c3d-0000-4000-8000-${String(session).padStart(12, "0")}`;

// A real model server: these calls come from outside loopback, where the demo's local responder does not answer (SEC-4).
let model: ModelServer;
beforeAll(async () => {
  model = await startModelServer();
});
afterAll(() => model.close());

function deps(now: Date): GatewayDeps {
  const anthropic = { wire: "anthropic" as const, url: model.url, apiKey: null };
  const openai = { wire: "openai" as const, url: `${model.url}/v1`, apiKey: null };
  return {
    ...appGatewayDeps(),
    ctx: ctxOf(t.db, t.url),
    now: async () => now,
    log: () => {},
    servers: servers({ anthropic, openai, local: false }),
  };
}

/** A Claude Code call through the reference gateway's Anthropic route, from one network. */
async function claudeCodeCall(secret: string, now: Date, userId: string) {
  const res = await gatewayRoute("anthropic", (req) => anthropicMessages(deps(now), req))(
    new Request("http://codeplan.test/api/anthropic/v1/messages", {
      method: "POST",
      headers: {
        "x-api-key": secret,
        "content-type": "application/json",
        "user-agent": CC_UA,
        [CLIENT_ADDRESS_HEADER]: "203.0.113.7",
      },
      body: JSON.stringify({
        model: "glm-4.7",
        max_tokens: 64,
        system: "You are Claude Code",
        messages: [{ role: "user", content: "hello" }],
        metadata: { user_id: userId },
      }),
    }),
  );
  await res.text();
  return res.status;
}

/** An OpenAI-wire call that names its client with `user`. */
async function openaiCall(secret: string, now: Date, user: string) {
  const res = await gatewayRoute("openai", (req) => openaiChat(deps(now), req))(
    new Request("http://codeplan.test/api/coding/paas/v4/chat/completions", {
      method: "POST",
      headers: {
        authorization: `Bearer ${secret}`,
        "content-type": "application/json",
        "user-agent": "opencode/0.5",
        [CLIENT_ADDRESS_HEADER]: "198.51.100.9",
      },
      body: JSON.stringify({
        model: "glm-4.7",
        user,
        messages: [
          { role: "system", content: "You are a coding agent" },
          { role: "user", content: "hello" },
        ],
      }),
    }),
  );
  await res.text();
  return res.status;
}

const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

describe("POLICY-3: sharing signals beyond networks", () => {
  it("POLICY-3: one key used by Claude Code from more installations than allowed, from one network, is a devices violation; only hashes are stored", async () => {
    const now = new Date("2027-05-01T10:00:00Z");
    const s = await subscriberWithKey(t.db, now, "max");
    const devices = settings.sharing.maxDevicesPerKey + 1;
    for (let d = 1; d <= devices; d++) expect(await claudeCodeCall(s.secret, minutes(now, d), ccUser(d, d))).toBe(200);
    const rows = await t.db.usageReport.findMany({
      where: { subscriptionId: s.sub.id },
      select: { clientId: true, device: true, network: true },
    });
    expect(rows).toHaveLength(devices);
    expect(new Set(rows.map((r) => r.device)).size).toBe(devices);
    expect(new Set(rows.map((r) => r.network)).size).toBe(1);
    for (const r of rows) {
      expect(r.clientId).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(r.device).toMatch(/^[A-Za-z0-9_-]{16}$/);
    }
    await evaluatePolicy(t.db, minutes(now, 10));
    const v = await t.db.policyViolation.findFirstOrThrow({ where: { userId: s.userId } });
    expect(v.rule).toBe("key_devices");
    expect(v.evidence).toMatchObject({
      keyId: s.keyId,
      devices,
      max: settings.sharing.maxDevicesPerKey,
      windowMinutes: settings.sharing.windowMinutes,
    });
    // The subscriber's view names the key.
    const seen = await violationsOf(t.db, s.userId, minutes(now, 11));
    expect(seen.keyNames[s.keyId]).toBe("laptop");
  });

  it("POLICY-3: Claude Code sessions of one installation are one device; more sessions at once than allowed are a clients violation", async () => {
    const now = new Date("2027-05-02T10:00:00Z");
    const s = await subscriberWithKey(t.db, now, "max");
    const sessions = settings.sharing.maxClientsPerKey;
    for (let n = 1; n <= sessions; n++)
      expect(await claudeCodeCall(s.secret, minutes(now, n / 2), ccUser(1, n))).toBe(200);
    await evaluatePolicy(t.db, minutes(now, 5));
    // As many sessions as allowed, on one device: nothing.
    expect(await t.db.policyViolation.count({ where: { userId: s.userId } })).toBe(0);
    expect(await openaiCall(s.secret, minutes(now, 6), "someone-else")).toBe(200);
    await evaluatePolicy(t.db, minutes(now, 7));
    const v = await t.db.policyViolation.findFirstOrThrow({ where: { userId: s.userId } });
    expect(v.rule).toBe("key_clients");
    expect(v.evidence).toMatchObject({
      keyId: s.keyId,
      clients: sessions + 1,
      names: ["claude-cli", "opencode"],
      max: settings.sharing.maxClientsPerKey,
    });
  });

  it("POLICY-3: devices spread over two keys of one subscription, each key under its limit, reported through the decision API, are a subscription violation", async () => {
    const now = new Date("2027-05-03T10:00:00Z");
    const s = await subscriberWithKey(t.db, now, "max");
    const second = await createKey(t.db, s.userId, "desktop", now);
    const api = (body: unknown, at: Date) =>
      decisionApi(
        { ctx: ctxOf(t.db, t.url), secret: "g".repeat(40), now: async () => at, leaseSeconds: 60 },
        { op: "usage", body, authorization: `Bearer ${"g".repeat(40)}`, acceptLanguage: null },
      );
    const perKey = settings.sharing.maxDevicesPerKey;
    const total = settings.sharing.perSubscription.maxDevices + 1;
    expect(perKey * 2).toBeGreaterThanOrEqual(total);
    for (let d = 0; d < total; d++) {
      const secret = d % 2 === 0 ? s.secret : second.secret;
      const answer = await api(
        {
          key: secret,
          requestId: `r-${d}`,
          model: "glm-4.7",
          inputTokens: 10,
          outputTokens: 5,
          userAgent: CC_UA,
          ip: "203.0.113.7",
          agentShaped: true,
          clientUserId: ccUser(d + 1, 1),
        },
        minutes(now, d),
      );
      expect(answer.body).toMatchObject({ recorded: true });
    }
    // An overlong id is refused with 1210 and records nothing.
    const bad = await api(
      {
        key: s.secret,
        requestId: "r-bad",
        model: "glm-4.7",
        inputTokens: 1,
        outputTokens: 1,
        clientUserId: "x".repeat(301),
      },
      minutes(now, 5),
    );
    expect(bad.status).toBe(400);
    expect(await t.db.usageReport.count({ where: { subscriptionId: s.sub.id } })).toBe(total);
    await evaluatePolicy(t.db, minutes(now, 9));
    const v = await t.db.policyViolation.findFirstOrThrow({ where: { userId: s.userId } });
    expect(v.rule).toBe("subscription_sharing");
    expect(v.evidence).toMatchObject({
      signal: "devices",
      count: total,
      keys: 2,
      max: settings.sharing.perSubscription.maxDevices,
    });
    expect((v.evidence as { keyIds: string[] }).keyIds.sort()).toEqual([s.keyId, second.key.id].sort());
    const seen = await violationsOf(t.db, s.userId, minutes(now, 10));
    expect(seen.keyNames).toMatchObject({ [s.keyId]: "laptop", [second.key.id]: "desktop" });
  });
});
