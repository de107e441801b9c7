import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openaiChat } from "../../lib/gateway/openai-wire";
import { paygGovern } from "../../lib/gateway/payg-call";
import { gatewayRoute } from "../../lib/gateway/route";
import { giveCash } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { apiUser, paygCtx } from "../support/payg";
import { CLIENT_ADDRESS_HEADER } from "../../lib/http/client-address";
import { servers, serveGateway } from "../support/gateway";
import { startModelServer, type ModelServer } from "../support/model-server";
import { subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();
let model: ModelServer;
let gw: Awaited<ReturnType<typeof serveGateway>>;
beforeAll(async () => {
  model = await startModelServer();
  gw = await serveGateway(t.db, t.url);
});
afterAll(async () => {
  await gw?.close();
  await model?.close();
});

const both = () =>
  servers({
    anthropic: { wire: "anthropic", url: model.url, apiKey: null },
    openai: { wire: "openai", url: `${model.url}/v1`, apiKey: null },
    connectTimeoutMs: 300,
    idleTimeoutMs: 300,
  });
const spent = async (subscriptionId: string) => ({
  uses: await t.db.quotaUse.count({ where: { subscriptionId } }),
  slots: await t.db.quotaSlot.count({ where: { subscriptionId } }),
  reports: await t.db.usageReport.count({ where: { subscriptionId } }),
});

describe.each(["app", "decision server"] as const)("GATE-3: a model server's failure, through the %s", (via) => {
  // The decision server writes streamed answers straight to its socket, the app's routes through a web stream.
  let gw: Awaited<ReturnType<typeof serveGateway>>;
  beforeAll(async () => {
    gw = await serveGateway(t.db, t.url, {}, via);
  });
  afterAll(() => gw?.close());

  it.each([
    ["refused (nothing listening)", "refused"],
    ["a 500", "500"],
    ["no answer within the connect timeout", "hang"],
    ["an empty stream", "empty"],
    ["a stream cut before its first event", "cut0"],
  ] as const)(
    "GATE-3: %s — before any byte reached the client: retryable 529 / 503 in the client's shape, the prompt back, no slot",
    async (_name, how) => {
      gw.deps.servers = both();
      if (how === "refused")
        gw.deps.servers = {
          ...both(),
          anthropic: { wire: "anthropic", url: "http://127.0.0.1:9", apiKey: null },
          openai: { wire: "openai", url: "http://127.0.0.1:9/v1", apiKey: null },
        };
      model.script(() =>
        how === "500"
          ? { status: 500 }
          : how === "hang"
            ? { hang: true }
            : how === "empty"
              ? { text: "x", cutAfterEvents: 0 }
              : { text: "x", cutAfterEvents: 0 },
      );
      const s = await subscriberWithKey(t.db, new Date(), "pro");
      const a = await new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 }).messages
        .create({ model: "glm-4.7", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] })
        .catch((e) => e);
      expect(a).toBeInstanceOf(Anthropic.APIError);
      expect([a.status, a.error?.error?.type]).toEqual([529, "overloaded_error"]);
      const o = await new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 0 }).chat.completions
        .create({ model: "glm-4.7", messages: [{ role: "user", content: "hi" }] })
        .catch((e) => e);
      expect(o).toBeInstanceOf(OpenAI.APIError);
      expect(o.status).toBe(503);
      expect(await spent(s.sub.id)).toEqual({ uses: 0, slots: 0, reports: 0 });
      expect((await t.db.quotaCounter.findUniqueOrThrow({ where: { subscriptionId: s.sub.id } })).weekUsed).toBe(0);
    },
  );

  it("GATE-3: the SDKs' own retries turn a first 529 / 503 into an answer, spending one prompt", async () => {
    gw.deps.servers = both();
    let n = 0;
    model.script(() => (n++ % 2 === 0 ? { status: 503 } : { text: "second time lucky" }));
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const m = await new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 2 }).messages.create({
      model: "glm-4.7",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(m.content[0]).toMatchObject({ type: "text", text: "second time lucky" });
    const c = await new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 2 }).chat.completions.create({
      model: "glm-4.7",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(c.choices[0].message.content).toBe("second time lucky");
    expect((await spent(s.sub.id)).uses).toBe(2);
  });

  it("GATE-3: a stream cut after it started ends in the wire's error form; the prompt stays spent, the usage is reported once, no slot is left", async () => {
    gw.deps.servers = both();
    model.script(() => ({ text: "one two three four five six seven", cutAfterEvents: 4 }));
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const res = await fetch(`${gw.anthropicBase}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": s.secret, "content-type": "application/json" },
      body: JSON.stringify({
        model: "glm-4.7",
        max_tokens: 50,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("event: message_start");
    expect(text.trim().split("\n\n").at(-1)).toMatch(
      /^event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error"/,
    );
    const stream = new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 }).messages.stream({
      model: "glm-4.7",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    });
    await expect(stream.finalMessage()).rejects.toThrow();
    const o = await fetch(`${gw.openaiBase}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "glm-4.7", stream: true, messages: [{ role: "user", content: "hi" }] }),
    });
    expect((await o.text()).trim().split("\n\n").at(-1)).toMatch(/^data: \{"error":\{"code":"503"/);
    await expect.poll(() => spent(s.sub.id)).toEqual({ uses: 3, slots: 0, reports: 3 });
  });

  it("GATE-3: a client that disconnects mid-stream aborts the model server's call and frees its slot", async () => {
    let upstreamClosed = false;
    const slow = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        `event: message_start\ndata: ${JSON.stringify({ type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", model: "m", content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } })}\n\n`,
      );
      res.on("close", () => (upstreamClosed = true)); // and never ends
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    try {
      gw.deps.servers = servers({
        anthropic: { wire: "anthropic", url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, apiKey: null },
        idleTimeoutMs: 60_000,
      });
      const s = await subscriberWithKey(t.db, new Date(), "pro");
      const abort = new AbortController();
      const res = await fetch(`${gw.anthropicBase}/v1/messages`, {
        method: "POST",
        signal: abort.signal,
        headers: { "x-api-key": s.secret, "content-type": "application/json" },
        body: JSON.stringify({
          model: "glm-4.7",
          max_tokens: 50,
          stream: true,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
      const reader = res.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain("message_start");
      expect((await spent(s.sub.id)).slots).toBe(1);
      abort.abort();
      await expect.poll(() => upstreamClosed).toBe(true);
      await expect.poll(() => spent(s.sub.id)).toEqual({ uses: 1, slots: 0, reports: 1 });
      expect((await t.db.usageReport.findFirstOrThrow({ where: { subscriptionId: s.sub.id } })).inputTokens).toBe(12);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});

describe("GATE-2: production never answers from the local responder", () => {
  it("GATE-2: with no model server configured the coding endpoints answer 503 with a clear message and spend nothing", async () => {
    gw.deps.servers = servers({ local: false });
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const a = await new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 }).messages
      .create({ model: "glm-4.7", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(a.status).toBe(503);
    expect(a.error.error.message).toMatch(/No model server is configured.*UPSTREAM_ANTHROPIC_URL/);
    const o = await new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 0 }).chat.completions
      .create({ model: "glm-4.7", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(o.status).toBe(503);
    expect(await spent(s.sub.id)).toEqual({ uses: 0, slots: 0, reports: 0 });
  });

  it("SEC-4: the demo's local responder answers only a caller on loopback; from elsewhere it is 503 and nothing is spent", async () => {
    gw.deps.servers = servers();
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const call = (address: string) =>
      gatewayRoute("openai", (req) => openaiChat(gw.deps, req))(
        new Request("http://codeplan.test/api/coding/paas/v4/chat/completions", {
          method: "POST",
          headers: {
            authorization: `Bearer ${s.secret}`,
            "content-type": "application/json",
            [CLIENT_ADDRESS_HEADER]: address,
          },
          body: JSON.stringify({ model: "glm-4.7", messages: [{ role: "user", content: "hi" }] }),
        }),
      );
    const elsewhere = await call("203.0.113.9");
    expect(elsewhere.status).toBe(503);
    expect(await spent(s.sub.id)).toEqual({ uses: 0, slots: 0, reports: 0 });
    const here = await call("127.0.0.1");
    expect(here.status).toBe(200);
    await here.text();
  });

  it("GATE-2: the settings in production give no local responder, and say so", async () => {
    const { parseEnv } = await import("../../lib/config/env");
    const { modelServersOf, describeModelServers } = await import("../../lib/gateway/model-servers");
    const prod = {
      APP_ENV: "production",
      DATABASE_URL: "postgres://x",
      NEXTAUTH_URL: "https://a.example",
      NEXTAUTH_SECRET: "s".repeat(40),
      SMTP_URL: "smtp://x",
      GATEWAY_SECRET: "g".repeat(40),
    };
    const none = modelServersOf(parseEnv(prod));
    expect(none.local).toBe(false);
    expect(describeModelServers(none)).toMatch(/NONE configured.*503/);
    const one = modelServersOf(
      parseEnv({ ...prod, UPSTREAM_OPENAI_URL: "https://models.example/v1", UPSTREAM_OPENAI_KEY: "k" }),
    );
    expect(describeModelServers(one)).toBe(
      "model servers: anthropic: https://models.example/v1 (translated to openai); openai: https://models.example/v1",
    );
    expect(modelServersOf(parseEnv({ APP_ENV: "development" })).local).toBe(true);
  });
});

describe("GATE-3 on the pay-as-you-go endpoint", () => {
  const payg = (secret: string, body: object) =>
    gatewayRoute("openai", (req) => openaiChat(gw.deps, req, paygGovern(paygCtx(t.db, t.url))))(
      new Request("http://codeplan.test/api/paas/v4/chat/completions", {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  const money = async (userId: string) => ({
    holds: await t.db.apiHold.count({ where: { userId } }),
    calls: await t.db.apiCall.findMany({ where: { userId }, select: { inputTokens: true, outputTokens: true } }),
  });

  it("GATE-3: a model server that fails before answering settles nothing and leaves no hold; a cut stream settles what the server reported", async () => {
    gw.deps.servers = both();
    const u = await apiUser(t.db, new Date());
    await giveCash(t.db, u.port, u.userId, 500n, new Date());
    model.script(() => ({ status: 502 }));
    const failed = await payg(u.secret, { model: "glm-4.7", messages: [{ role: "user", content: "hi" }] });
    expect(failed.status).toBe(503);
    expect(await money(u.userId)).toEqual({ holds: 0, calls: [] });
    model.script(() => ({ text: "one two three four five", usage: { input: 1000, output: 40 }, cutAfterEvents: 4 }));
    const cut = await payg(u.secret, {
      model: "glm-4.7",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "hi" }],
    });
    expect(cut.status).toBe(200);
    expect(await cut.text()).toMatch(/data: \{"error":\{"code":"503"/);
    // OpenAI reports usage only at the end of a stream: the cut one reported none, so its estimate is settled.
    await expect.poll(() => money(u.userId)).toMatchObject({ holds: 0, calls: [{ outputTokens: expect.any(Number) }] });
    model.script(() => ({ text: "all of it", usage: { input: 1000, output: 40 } }));
    const whole = await payg(u.secret, { model: "glm-4.7", messages: [{ role: "user", content: "hi" }] });
    expect(whole.status).toBe(200);
    await expect.poll(async () => (await money(u.userId)).calls.length).toBe(2);
    expect((await money(u.userId)).calls).toContainEqual({ inputTokens: 1000, outputTokens: 40 });
  });
});

describe("GATE-1: the body is bounded before it is read", () => {
  it("GATE-1: a body over 32 MB is refused with 413 in the client's shape, and nothing is spent", async () => {
    gw.deps.servers = both();
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const huge = JSON.stringify({
      model: "glm-4.7",
      max_tokens: 5,
      messages: [{ role: "user", content: "x".repeat(33 * 1024 * 1024) }],
    });
    const a = await fetch(`${gw.anthropicBase}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": s.secret, "content-type": "application/json" },
      body: huge,
    });
    expect([a.status, (await a.json()).error.type]).toEqual([413, "request_too_large"]);
    const o = await fetch(`${gw.openaiBase}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.secret}`, "content-type": "application/json" },
      body: huge,
    });
    expect([o.status, (await o.json()).error.code]).toEqual([413, "1210"]);
    expect(await spent(s.sub.id)).toEqual({ uses: 0, slots: 0, reports: 0 });
  });
});
