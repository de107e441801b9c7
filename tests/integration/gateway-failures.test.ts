import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupFreshDatabase } from "../support/database";
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

const both = () => servers({ anthropic: { wire: "anthropic", url: model.url, apiKey: null }, openai: { wire: "openai", url: `${model.url}/v1`, apiKey: null }, connectTimeoutMs: 300, idleTimeoutMs: 300 });
const spent = async (subscriptionId: string) => ({
  uses: await t.db.quotaUse.count({ where: { subscriptionId } }),
  slots: await t.db.quotaSlot.count({ where: { subscriptionId } }),
  reports: await t.db.usageReport.count({ where: { subscriptionId } }),
});

describe("GATE-3: a model server's failure", () => {
  it.each([
    ["refused (nothing listening)", "refused"],
    ["a 500", "500"],
    ["no answer within the connect timeout", "hang"],
    ["an empty stream", "empty"],
    ["a stream cut before its first event", "cut0"],
  ] as const)("GATE-3: %s — before any byte reached the client: retryable 529 / 503 in the client's shape, the prompt back, no slot", async (_name, how) => {
    gw.deps.servers = both();
    if (how === "refused") gw.deps.servers = { ...both(), anthropic: { wire: "anthropic", url: "http://127.0.0.1:9", apiKey: null }, openai: { wire: "openai", url: "http://127.0.0.1:9/v1", apiKey: null } };
    model.script(() => (how === "500" ? { status: 500 } : how === "hang" ? { hang: true } : how === "empty" ? { text: "x", cutAfterEvents: 0 } : { text: "x", cutAfterEvents: 0 }));
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const a = await new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 }).messages.create({ model: "glm-4.7", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(a).toBeInstanceOf(Anthropic.APIError);
    expect([a.status, a.error?.error?.type]).toEqual([529, "overloaded_error"]);
    const o = await new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 0 }).chat.completions.create({ model: "glm-4.7", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(o).toBeInstanceOf(OpenAI.APIError);
    expect(o.status).toBe(503);
    expect(await spent(s.sub.id)).toEqual({ uses: 0, slots: 0, reports: 0 });
    expect((await t.db.quotaCounter.findUniqueOrThrow({ where: { subscriptionId: s.sub.id } })).weekUsed).toBe(0);
  });

  it("GATE-3: the SDKs' own retries turn a first 529 / 503 into an answer, spending one prompt", async () => {
    gw.deps.servers = both();
    let n = 0;
    model.script(() => (n++ % 2 === 0 ? { status: 503 } : { text: "second time lucky" }));
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const m = await new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 2 }).messages.create({ model: "glm-4.7", max_tokens: 10, messages: [{ role: "user", content: "hi" }] });
    expect(m.content[0]).toMatchObject({ type: "text", text: "second time lucky" });
    const c = await new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 2 }).chat.completions.create({ model: "glm-4.7", messages: [{ role: "user", content: "hi" }] });
    expect(c.choices[0].message.content).toBe("second time lucky");
    expect((await spent(s.sub.id)).uses).toBe(2);
  });

  it("GATE-3: a stream cut after it started ends in the wire's error form; the prompt stays spent, the usage is reported once, no slot is left", async () => {
    gw.deps.servers = both();
    model.script(() => ({ text: "one two three four five six seven", cutAfterEvents: 4 }));
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const res = await fetch(`${gw.anthropicBase}/v1/messages`, { method: "POST", headers: { "x-api-key": s.secret, "content-type": "application/json" }, body: JSON.stringify({ model: "glm-4.7", max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] }) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("event: message_start");
    expect(text.trim().split("\n\n").at(-1)).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error"/);
    const stream = new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 }).messages.stream({ model: "glm-4.7", max_tokens: 50, messages: [{ role: "user", content: "hi" }] });
    await expect(stream.finalMessage()).rejects.toThrow();
    const o = await fetch(`${gw.openaiBase}/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${s.secret}`, "content-type": "application/json" }, body: JSON.stringify({ model: "glm-4.7", stream: true, messages: [{ role: "user", content: "hi" }] }) });
    expect((await o.text()).trim().split("\n\n").at(-1)).toMatch(/^data: \{"error":\{"code":"503"/);
    await expect.poll(() => spent(s.sub.id)).toEqual({ uses: 3, slots: 0, reports: 3 });
  });

  it("GATE-3: a client that disconnects mid-stream aborts the model server's call and frees its slot", async () => {
    let upstreamClosed = false;
    const slow = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`event: message_start\ndata: ${JSON.stringify({ type: "message_start", message: { id: "msg_1", type: "message", role: "assistant", model: "m", content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } })}\n\n`);
      res.on("close", () => (upstreamClosed = true)); // and never ends
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    try {
      gw.deps.servers = servers({ anthropic: { wire: "anthropic", url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, apiKey: null }, idleTimeoutMs: 60_000 });
      const s = await subscriberWithKey(t.db, new Date(), "pro");
      const abort = new AbortController();
      const res = await fetch(`${gw.anthropicBase}/v1/messages`, { method: "POST", signal: abort.signal, headers: { "x-api-key": s.secret, "content-type": "application/json" }, body: JSON.stringify({ model: "glm-4.7", max_tokens: 50, stream: true, messages: [{ role: "user", content: "hi" }] }) });
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
    const a = await new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 }).messages.create({ model: "glm-4.7", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(a.status).toBe(503);
    expect(a.error.error.message).toMatch(/No model server is configured.*UPSTREAM_ANTHROPIC_URL/);
    const o = await new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 0 }).chat.completions.create({ model: "glm-4.7", messages: [{ role: "user", content: "hi" }] }).catch((e) => e);
    expect(o.status).toBe(503);
    expect(await spent(s.sub.id)).toEqual({ uses: 0, slots: 0, reports: 0 });
  });

  it("GATE-2: the settings in production give no local responder, and say so", async () => {
    const { parseEnv } = await import("../../lib/config/env");
    const { modelServersOf, describeModelServers } = await import("../../lib/gateway/model-servers");
    const prod = { APP_ENV: "production", DATABASE_URL: "postgres://x", NEXTAUTH_URL: "https://a.example", NEXTAUTH_SECRET: "s".repeat(40), SMTP_URL: "smtp://x", GATEWAY_SECRET: "g".repeat(40) };
    const none = modelServersOf(parseEnv(prod));
    expect(none.local).toBe(false);
    expect(describeModelServers(none)).toMatch(/NONE configured.*503/);
    const one = modelServersOf(parseEnv({ ...prod, UPSTREAM_OPENAI_URL: "https://models.example/v1", UPSTREAM_OPENAI_KEY: "k" }));
    expect(describeModelServers(one)).toBe("model servers: anthropic: https://models.example/v1 (translated to openai); openai: https://models.example/v1");
    expect(modelServersOf(parseEnv({ APP_ENV: "development" })).local).toBe(true);
  });
});
