import http from "node:http";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Json } from "../../lib/gateway/wire";
import {
  anthropicLoop,
  anthropicTools,
  openaiLoop,
  openaiTools,
  TOOL_OUTPUT,
  toolLoopScript,
} from "../support/agent-loops";
import { setupFreshDatabase } from "../support/database";
import { servers, serveGateway } from "../support/gateway";
import { startModelServer, type ModelServer } from "../support/model-server";
import { subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();
let model: ModelServer;
let gw: Awaited<ReturnType<typeof serveGateway>>;
beforeAll(async () => {
  model = await startModelServer(toolLoopScript(1));
  gw = await serveGateway(t.db, t.url);
});
afterAll(async () => {
  await gw?.close();
  await model?.close();
});

const anthropicServer = () => ({ wire: "anthropic" as const, url: model.url, apiKey: "upstream-anthropic-key" });
const openaiServer = () => ({ wire: "openai" as const, url: `${model.url}/v1`, apiKey: "upstream-openai-key" });
const messagesOf = (body: Json) => body.messages as Json[];

describe("GATE-1: real coding agents' tool loops pass through unchanged", () => {
  for (const stream of [false, true]) {
    it(`GATE-1: openai SDK — a two-step tool loop on the OpenAI wire${stream ? ", streamed" : ""}: tools and tool results reach the model server unchanged`, async () => {
      gw.deps.servers = servers({ openai: openaiServer() });
      model.script(toolLoopScript(1));
      const s = await subscriberWithKey(t.db, new Date(), "pro");
      const before = model.seen.length;
      const client = new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 0 });
      const loop = await openaiLoop(client, { model: "glm-4.7", stream });
      expect(loop).toMatchObject({ calls: 2, text: expect.stringContaining("Done after 1 tool calls") });
      const [first, second] = model.seen.slice(before);
      expect(first.wire).toBe("openai");
      expect(first.headers.authorization).toBe("Bearer upstream-openai-key");
      expect(first.body.tools).toEqual(openaiTools);
      expect(messagesOf(first.body)[0]).toEqual({ role: "system", content: "You are a coding agent." });
      // The assistant's tool call and the tool's answer went back exactly as the client sent them.
      expect(messagesOf(second.body).slice(2)).toEqual([
        {
          role: "assistant",
          content: "Let me look.",
          tool_calls: [
            {
              id: loop.toolCallIds[0],
              type: "function",
              function: { name: "read_file", arguments: '{"path":"src/file-0.ts"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: loop.toolCallIds[0], content: TOOL_OUTPUT },
      ]);
      if (stream) expect(first.body.stream_options).toEqual({ include_usage: true });
      expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(1);
      await expect.poll(() => t.db.usageReport.count({ where: { subscriptionId: s.sub.id } })).toBe(2);
    });

    it(`GATE-1: anthropic SDK — a two-step tool loop on the Anthropic wire${stream ? ", streamed" : ""}: tools, tool_use and tool_result blocks reach the model server unchanged`, async () => {
      gw.deps.servers = servers({ anthropic: anthropicServer() });
      model.script(toolLoopScript(1));
      const s = await subscriberWithKey(t.db, new Date(), "pro");
      const before = model.seen.length;
      const client = new Anthropic({
        apiKey: s.secret,
        baseURL: gw.anthropicBase,
        maxRetries: 0,
        defaultHeaders: { "anthropic-beta": "context-management-2025-06-27" },
      });
      const loop = await anthropicLoop(client, { model: "glm-4.7", stream });
      expect(loop).toMatchObject({ calls: 2, text: expect.stringContaining("Done after 1 tool calls") });
      const [first, second] = model.seen.slice(before);
      expect(first.wire).toBe("anthropic");
      expect(first.headers["x-api-key"]).toBe("upstream-anthropic-key");
      expect(first.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/); // the SDK's own, passed on
      expect(first.headers["anthropic-beta"]).toBe("context-management-2025-06-27");
      expect(JSON.stringify(first.headers)).not.toContain(s.secret);
      expect(first.body.tools).toEqual(anthropicTools);
      expect(messagesOf(second.body).slice(1)).toEqual([
        {
          role: "assistant",
          content: [
            { type: "text", text: "Let me look." },
            { type: "tool_use", id: loop.toolCallIds[0], name: "read_file", input: { path: "src/file-0.ts" } },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: loop.toolCallIds[0], content: TOOL_OUTPUT }] },
      ]);
      expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(1);
    });

    it(`GATE-1: translation — an OpenAI client runs its tool loop against an Anthropic-only model server${stream ? ", streamed" : ""}`, async () => {
      gw.deps.servers = servers({ anthropic: anthropicServer() });
      model.script(toolLoopScript(1));
      const s = await subscriberWithKey(t.db, new Date(), "pro");
      const before = model.seen.length;
      const loop = await openaiLoop(new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 0 }), {
        model: "glm-4.7",
        stream,
      });
      expect(loop).toMatchObject({ calls: 2, text: expect.stringContaining("Done after 1 tool calls") });
      const [first, second] = model.seen.slice(before);
      expect(first.wire).toBe("anthropic");
      expect(first.body).toMatchObject({
        system: "You are a coding agent.",
        tools: [{ name: "read_file", input_schema: openaiTools[0].function.parameters }],
      });
      expect(messagesOf(second.body).at(-1)).toEqual({
        role: "user",
        content: [{ type: "tool_result", tool_use_id: loop.toolCallIds[0], content: TOOL_OUTPUT }],
      });
      expect(loop.toolCallIds[0]).toMatch(/^toolu_/);
      expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(1);
    });

    it(`GATE-1: translation — an Anthropic client runs its tool loop against an OpenAI-only model server${stream ? ", streamed" : ""}`, async () => {
      gw.deps.servers = servers({ openai: openaiServer() });
      model.script(toolLoopScript(1));
      const s = await subscriberWithKey(t.db, new Date(), "pro");
      const before = model.seen.length;
      const loop = await anthropicLoop(new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 }), {
        model: "glm-4.7",
        stream,
      });
      expect(loop).toMatchObject({ calls: 2, text: expect.stringContaining("Done after 1 tool calls") });
      const [first, second] = model.seen.slice(before);
      expect(first.wire).toBe("openai");
      expect(first.body.tools).toEqual(openaiTools);
      expect(messagesOf(second.body).at(-1)).toEqual({
        role: "tool",
        tool_call_id: loop.toolCallIds[0],
        content: TOOL_OUTPUT,
      });
      expect(loop.toolCallIds[0]).toMatch(/^call_/);
      if (stream) expect(first.body.stream_options).toEqual({ include_usage: true });
      expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(1);
    });
  }

  it("GATE-1: what Claude Code sends passes unchanged — a system-role message, an image, a thinking block with its signature, cache_control, metadata, unknown fields", async () => {
    gw.deps.servers = servers({ anthropic: anthropicServer() });
    model.script(() => ({ text: "ok" }));
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const body = {
      model: "glm-4.7",
      max_tokens: 32000,
      stream: true,
      system: [{ type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral" } }],
      metadata: { user_id: "user_abc" },
      thinking: { type: "adaptive", budget_tokens: 1024 },
      context_management: { edits: [{ type: "clear_tool_uses_20250919" }] },
      output_config: { effort: "medium" },
      temperature: 1,
      some_future_field: { nested: [1, 2, 3] },
      tools: anthropicTools,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this picture?" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "Let me think.", signature: "EqQBCkYIBxgCKkBsig==" },
            { type: "text", text: "A pixel." },
          ],
        },
        { role: "system", content: "<system-reminder>Keep answers short.</system-reminder>" },
        { role: "user", content: [{ type: "text", text: "Thanks", cache_control: { type: "ephemeral" } }] },
      ],
    };
    const before = model.seen.length;
    const res = await fetch(`${gw.anthropicBase}/v1/messages?beta=true`, {
      method: "POST",
      headers: { "x-api-key": s.secret, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await res.text())
      .split("\n\n")
      .filter(Boolean)
      .map((frame) => frame.split("\n")[0]);
    expect(events[0]).toBe("event: message_start");
    expect(events.at(-1)).toBe("event: message_stop");
    expect(model.seen.slice(before).map((r) => r.body)).toEqual([body]);
  });

  it("GATE-1: the OpenAI wire's image parts, tool_choice, sampling and unknown fields pass unchanged; only include_usage is added", async () => {
    gw.deps.servers = servers({ openai: openaiServer() });
    model.script(() => ({ text: "ok" }));
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const body = {
      model: "glm-4.7",
      stream: true,
      stream_options: { include_usage: false },
      tools: openaiTools,
      tool_choice: { type: "function", function: { name: "read_file" } },
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      vendor_extension: true,
      messages: [
        { role: "developer", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Look" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" } },
          ],
        },
      ],
    };
    const before = model.seen.length;
    const res = await fetch(`${gw.openaiBase}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(model.seen.slice(before).map((r) => r.body)).toEqual([{ ...body, stream_options: { include_usage: true } }]);
    // The client did not ask for the usage chunk: the gateway read it and did not send it on.
    expect(text).not.toContain('"choices":[]');
    expect(text.trim().endsWith("data: [DONE]")).toBe(true);
    // The image made it a vision call: it draws on the prompt pool.
    expect(await t.db.quotaUse.findFirst({ where: { subscriptionId: s.sub.id }, select: { kind: true } })).toEqual({
      kind: "vision",
    });
  });

  it("GATE-1: the model server's own refusal reaches the client with its status, in the client's shape", async () => {
    model.script(() => ({
      status: 400,
      body: { type: "error", error: { type: "invalid_request_error", message: "messages.1: bad block" } },
    }));
    gw.deps.servers = servers({ anthropic: anthropicServer() });
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const anthropic = new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 });
    const e1 = await anthropic.messages
      .create({ model: "glm-4.7", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(e1).toBeInstanceOf(Anthropic.BadRequestError);
    expect(e1.error).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: "messages.1: bad block" },
    });
    // Translated for an OpenAI client.
    const openai = new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 0 });
    const e2 = await openai.chat.completions
      .create({ model: "glm-4.7", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(e2).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e2.message).toContain("messages.1: bad block");
    // No answer, no prompt spent.
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("GATE-1: the gateway validates only what it needs — a missing model or an empty messages list is refused with 1210 naming the field", async () => {
    gw.deps.servers = servers({ anthropic: anthropicServer() });
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const post = (body: unknown) =>
      fetch(`${gw.anthropicBase}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": s.secret, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const noModel = await post({ max_tokens: 5, messages: [{ role: "user", content: "hi" }] });
    expect([noModel.status, (await noModel.json()).error]).toEqual([
      400,
      { type: "1210", message: expect.stringContaining("model") },
    ]);
    const empty = await post({ model: "glm-4.7", max_tokens: 5, messages: [] });
    expect([empty.status, (await empty.json()).error]).toEqual([
      400,
      { type: "1210", message: expect.stringContaining("messages") },
    ]);
    const notJson = await fetch(`${gw.openaiBase}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.secret}` },
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
  });

  it("GATE-1: a model name the operator maps is renamed on the way out, and only that", async () => {
    gw.deps.servers = servers({ openai: openaiServer(), modelMap: new Map([["glm-4.7", "provider-model-x"]]) });
    model.script(() => ({ text: "ok" }));
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const before = model.seen.length;
    await new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 0 }).chat.completions.create({
      model: "GLM-4.7",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(model.seen[before].body).toEqual({ model: "provider-model-x", messages: [{ role: "user", content: "hi" }] });
  });
});

describe("GATE-1: the decision server serves the coding model routes", () => {
  it("GATE-1: an Anthropic tool loop and the model list through the decision server's port, with the app routes' handlers", async () => {
    const { createDecisionServer, ANTHROPIC_MESSAGES_PATH, CODING_MODELS_PATH } =
      await import("../../lib/gateway/decision-server");
    const { anthropicMessages } = await import("../../lib/gateway/anthropic-wire");
    const { openaiModels } = await import("../../lib/gateway/models-list");
    const { gatewayRoute } = await import("../../lib/gateway/route");
    gw.deps.servers = servers({ anthropic: anthropicServer() });
    model.script(toolLoopScript(1));
    const server = createDecisionServer(
      { ctx: gw.deps.ctx, secret: "s".repeat(40), now: async () => new Date(), leaseSeconds: 60 },
      () => {},
      {
        [ANTHROPIC_MESSAGES_PATH]: gatewayRoute("anthropic", (req) => anthropicMessages(gw.deps, req)),
        [CODING_MODELS_PATH]: gatewayRoute("openai", (req) => openaiModels(gw.deps, req)),
      },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const base = `http://127.0.0.1:${(server.address() as import("node:net").AddressInfo).port}`;
      const s = await subscriberWithKey(t.db, new Date(), "lite");
      const loop = await anthropicLoop(
        new Anthropic({ apiKey: s.secret, baseURL: `${base}/api/anthropic`, maxRetries: 0 }),
        { model: "glm-4.7", stream: true },
      );
      expect(loop.calls).toBe(2);
      const models = await new OpenAI({
        apiKey: s.secret,
        baseURL: `${base}/api/coding/paas/v4`,
        maxRetries: 0,
      }).models.list();
      expect(models.data.map((m) => m.id)).toContain("glm-4.7");
      expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(1);
      // A body over the bound is refused as Anthropic refuses one, before it is read whole.
      const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          `${base}/api/anthropic/v1/messages`,
          { method: "POST", headers: { "x-api-key": s.secret, "content-type": "application/json" } },
          (res) => {
            let body = "";
            res.on("data", (c) => (body += c)).on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on("error", reject);
        req.end(Buffer.alloc(33 * 1024 * 1024, 0x20));
      });
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body)).toMatchObject({ type: "error", error: { type: "request_too_large" } });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
