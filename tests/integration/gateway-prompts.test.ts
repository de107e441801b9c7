import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicLoop, openaiLoop, toolLoopScript } from "../support/agent-loops";
import { setupFreshDatabase } from "../support/database";
import { servers, serveGateway } from "../support/gateway";
import { startModelServer, type ModelServer } from "../support/model-server";
import { ask, subscriberWithKey } from "../support/quota";

process.env.GATEWAY_SECRET = "g".repeat(40);
const t = setupFreshDatabase();
let model: ModelServer;
let gw: Awaited<ReturnType<typeof serveGateway>>;
beforeAll(async () => {
  model = await startModelServer(toolLoopScript(4));
  gw = await serveGateway(t.db, t.url);
  gw.deps.servers = servers({
    anthropic: { wire: "anthropic", url: model.url, apiKey: null },
    openai: { wire: "openai", url: `${model.url}/v1`, apiKey: null },
  });
});
afterAll(async () => {
  await gw?.close();
  await model?.close();
});

const units = async (subscriptionId: string) =>
  (await t.db.quotaUse.aggregate({ where: { subscriptionId }, _sum: { units: true } }))._sum.units ?? 0;
const reports = (subscriptionId: string) =>
  t.db.usageReport.findMany({ where: { subscriptionId }, orderBy: { at: "asc" } });

describe("QUOTA-1: a prompt is a user turn, not a model call", () => {
  it("QUOTA-1: a 5-call tool loop spends exactly one prompt and shows 5 calls under it (Anthropic wire, streamed)", async () => {
    model.script(toolLoopScript(4));
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const loop = await anthropicLoop(new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 }), {
      model: "glm-4.7",
      stream: true,
    });
    expect(loop.calls).toBe(5);
    expect(await units(s.sub.id)).toBe(1);
    await expect.poll(async () => (await reports(s.sub.id)).length).toBe(5);
    const rows = await reports(s.sub.id);
    expect(new Set(rows.map((r) => r.promptId)).size).toBe(1);
    expect(rows[0].promptId).toBe(rows[0].requestId);
    expect(rows.every((r) => r.inputTokens > 0 && r.outputTokens > 0)).toBe(true);
    // The recorded tool calls are exactly the ones the client was handed.
    const issued = await t.db.gatewayToolCall.findMany({ where: { subscriptionId: s.sub.id } });
    expect(issued.map((i) => i.toolCallId).sort()).toEqual([...loop.toolCallIds].sort());
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("QUOTA-1, QUOTA-6: a 5-call GLM-5 loop at peak costs 3 prompts once, on the OpenAI wire, not streamed", async () => {
    model.script(toolLoopScript(4));
    const peak = new Date("2027-03-10T07:00:00Z"); // 15:00 in Shanghai
    const s = await subscriberWithKey(t.db, peak, "pro");
    gw.deps.now = async () => peak;
    try {
      const loop = await openaiLoop(new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 0 }), {
        model: "glm-5",
        stream: false,
      });
      expect(loop.calls).toBe(5);
      expect(await units(s.sub.id)).toBe(3);
      expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(1);
      await expect.poll(async () => (await reports(s.sub.id)).length).toBe(5);
    } finally {
      gw.deps.now = async () => new Date();
    }
  });

  it("QUOTA-1: tool results whose ids the gateway never handed out, or handed to another subscription, spend a prompt each", async () => {
    model.script(() => ({ text: "ok" }));
    const a = await subscriberWithKey(t.db, new Date(), "pro");
    const b = await subscriberWithKey(t.db, new Date(), "pro");
    // B runs one tool call, so its id is real, but B's.
    model.script(toolLoopScript(1));
    const bLoop = await anthropicLoop(new Anthropic({ apiKey: b.secret, baseURL: gw.anthropicBase, maxRetries: 0 }), {
      model: "glm-4.7",
      stream: false,
    });
    model.script(() => ({ text: "ok" }));
    const client = new Anthropic({ apiKey: a.secret, baseURL: gw.anthropicBase, maxRetries: 0 });
    const answerTo = (id: string) =>
      client.messages.create({
        model: "glm-4.7",
        max_tokens: 100,
        messages: [
          { role: "user", content: "read it" },
          { role: "assistant", content: [{ type: "tool_use", id, name: "read_file", input: { path: "x" } }] },
          { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: "contents" }] },
        ],
      });
    await answerTo("toolu_forged000000000000");
    await answerTo(bLoop.toolCallIds[0]);
    expect(await units(a.sub.id)).toBe(2);
    // The same through the OpenAI wire.
    await new OpenAI({ apiKey: a.secret, baseURL: gw.openaiBase, maxRetries: 0 }).chat.completions.create({
      model: "glm-4.7",
      messages: [
        { role: "user", content: "read it" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_forged", type: "function", function: { name: "read_file", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "call_forged", content: "contents" },
      ],
    });
    expect(await units(a.sub.id)).toBe(3);
  });

  it("QUOTA-1: a continuing call takes a slot and is refused with 1309 once the plan has ended", async () => {
    model.script(toolLoopScript(1));
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const client = new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 });
    const first = await client.messages.create({
      model: "glm-4.7",
      max_tokens: 100,
      messages: [{ role: "user", content: "go" }],
    });
    const use = first.content.find((c) => c.type === "tool_use")!;
    await t.db.subscription.update({ where: { id: s.sub.id }, data: { status: "expired", updatedAt: new Date() } });
    const err = await client.messages
      .create({
        model: "glm-4.7",
        max_tokens: 100,
        messages: [
          { role: "user", content: "go" },
          { role: "assistant", content: first.content },
          { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "x" }] },
        ],
      })
      .catch((e) => e);
    expect([err.status, err.error?.error?.type]).toEqual([403, "1309"]);
  });

  it("QUOTA-1, QUOTA-2: 20 agent loops in parallel on one Lite key never exceed the quota and never spend more than one prompt per loop", async () => {
    model.script(toolLoopScript(2));
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const ctx = gw.deps.ctx;
    for (let i = 0; i < 70; i++) expect((await ask(ctx, s.secret, new Date())).allowed).toBe(true); // 10 of 80 left
    const client = new OpenAI({ apiKey: s.secret, baseURL: gw.openaiBase, maxRetries: 0 });
    // Lite has two concurrency slots: a loop refused with 1302 waits a moment and asks again, as agents do.
    const patient = new OpenAI({
      apiKey: s.secret,
      baseURL: gw.openaiBase,
      maxRetries: 0,
      fetch: async (url, init) => {
        for (;;) {
          const res = await fetch(url, init);
          if (res.status !== 429 || !(await res.clone().text()).includes('"1302"')) return res;
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
        }
      },
    });
    void client;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        openaiLoop(patient, { model: "glm-4.7", stream: true }).then(
          (l) => ({ ok: true as const, calls: l.calls }),
          (e: unknown) => ({ ok: false as const, code: (e as { code?: string }).code }),
        ),
      ),
    );
    const done = outcomes.filter((o) => o.ok);
    expect(done.length).toBe(10);
    expect(done.every((o) => o.calls === 3)).toBe(true);
    // The other ten were refused at their first call, for the 5-hour quota; none was cut off mid-loop.
    expect(outcomes.filter((o) => !o.ok).map((o) => o.code)).toEqual(Array(10).fill("1308"));
    expect(await units(s.sub.id)).toBe(80);
    await expect.poll(async () => (await reports(s.sub.id)).length).toBe(30);
    const perPrompt = new Map<string, number>();
    for (const r of await reports(s.sub.id)) perPrompt.set(r.promptId, (perPrompt.get(r.promptId) ?? 0) + 1);
    expect([...perPrompt.values()]).toEqual(Array(10).fill(3));
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("QUOTA-1, QUOTA-8: the answer is accounted for before its closing event goes out — an agent acting on it at once finds the tool call recorded and the slot free", async () => {
    model.script(toolLoopScript(1));
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    for (const [wire, closing] of [
      ["anthropic", "event: message_stop"],
      ["openai", "data: [DONE]"],
    ] as const) {
      const res =
        wire === "anthropic"
          ? await fetch(`${gw.anthropicBase}/v1/messages`, {
              method: "POST",
              headers: { "x-api-key": s.secret, "content-type": "application/json" },
              body: JSON.stringify({
                model: "glm-4.7",
                max_tokens: 100,
                stream: true,
                tools: [],
                messages: [{ role: "user", content: "go" }],
              }),
            })
          : await fetch(`${gw.openaiBase}/chat/completions`, {
              method: "POST",
              headers: { authorization: `Bearer ${s.secret}`, "content-type": "application/json" },
              body: JSON.stringify({ model: "glm-4.7", stream: true, messages: [{ role: "user", content: "go" }] }),
            });
      const reader = res.body!.getReader();
      let text = "";
      while (!text.includes(closing)) text += new TextDecoder().decode((await reader.read()).value);
      // Not waiting for the end of the stream: the closing event is what an agent acts on.
      expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
      const id = /"(toolu_[0-9a-f]+|call_[0-9a-f]+)"/.exec(text)![1];
      expect(await t.db.gatewayToolCall.count({ where: { subscriptionId: s.sub.id, toolCallId: id } })).toBe(1);
      await reader.cancel();
    }
  });

  it("QUOTA-1: count_tokens and the model list spend nothing", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const count = await new Anthropic({
      apiKey: s.secret,
      baseURL: gw.anthropicBase,
      maxRetries: 0,
    }).messages.countTokens({ model: "glm-4.7", messages: [{ role: "user", content: "count me, 你好" }] });
    expect(count.input_tokens).toBeGreaterThan(2);
    expect(await units(s.sub.id)).toBe(0);
  });
});

describe("QUOTA-1 through the decision API and the decision server", () => {
  it("QUOTA-1: a gateway of the operator's own sends the tool-call ids with consume and usage, and gets the same prompt semantics", async () => {
    const { decisionApi } = await import("../../lib/gateway/decision-api");
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const other = await subscriberWithKey(t.db, new Date(), "pro");
    const deps = { ctx: gw.deps.ctx, secret: "g".repeat(40), now: async () => new Date(), leaseSeconds: 60 };
    const call = (op: string, body: unknown) =>
      decisionApi(deps, { op, body, authorization: `Bearer ${"g".repeat(40)}`, acceptLanguage: null });
    const first = await call("consume", { key: s.secret, model: "glm-4.7", requestId: "op-1" });
    expect(first.body).toMatchObject({ allowed: true, cost: 1, promptId: "op-1", continued: false });
    expect(
      (
        await call("usage", {
          key: s.secret,
          requestId: "op-1",
          model: "glm-4.7",
          inputTokens: 10,
          outputTokens: 3,
          toolCallIds: ["tc-a", "tc-b"],
        })
      ).body,
    ).toEqual({ recorded: true, duplicate: false });
    const second = await call("consume", {
      key: s.secret,
      model: "glm-4.7",
      requestId: "op-2",
      toolResultIds: ["tc-a", "tc-b"],
    });
    expect(second.body).toMatchObject({ allowed: true, cost: 0, promptId: "op-1", continued: true, windows: null });
    await call("usage", {
      key: s.secret,
      requestId: "op-2",
      model: "glm-4.7",
      inputTokens: 20,
      outputTokens: 4,
      cacheWriteTokens: 5,
      toolCallIds: ["tc-c"],
    });
    // The next step answers op-2's tool call: still op-1's prompt.
    expect(
      (await call("consume", { key: s.secret, model: "glm-4.7", requestId: "op-3", toolResultIds: ["tc-c"] })).body,
    ).toMatchObject({ cost: 0, promptId: "op-1" });
    // Half known is not known; another subscription's ids are not this one's.
    expect(
      (await call("consume", { key: s.secret, model: "glm-4.7", requestId: "op-4", toolResultIds: ["tc-a", "forged"] }))
        .body,
    ).toMatchObject({ cost: 1, promptId: "op-4", continued: false });
    expect(
      (await call("consume", { key: other.secret, model: "glm-4.7", requestId: "op-5", toolResultIds: ["tc-a"] })).body,
    ).toMatchObject({ cost: 1, continued: false });
    expect(
      (await call("consume", { key: s.secret, model: "glm-4.7", requestId: "op-6", toolResultIds: "tc-a" })).status,
    ).toBe(400);
    const rows = await t.db.usageReport.findMany({
      where: { subscriptionId: s.sub.id },
      orderBy: { requestId: "asc" },
    });
    expect(rows.map((r) => [r.requestId, r.promptId, r.cacheWriteTokens])).toEqual([
      ["op-1", "op-1", 0],
      ["op-2", "op-1", 5],
    ]);
    expect(await units(s.sub.id)).toBe(2);
  });

  it("QUOTA-1: continuations asked together (one batch) get the answers each would get alone", async () => {
    const { decisionApi } = await import("../../lib/gateway/decision-api");
    const [s, other] = [
      await subscriberWithKey(t.db, new Date(), "max"),
      await subscriberWithKey(t.db, new Date(), "max"),
    ];
    const deps = { ctx: gw.deps.ctx, secret: "g".repeat(40), now: async () => new Date(), leaseSeconds: 60 };
    const call = (op: string, body: unknown) =>
      decisionApi(deps, { op, body, authorization: `Bearer ${"g".repeat(40)}`, acceptLanguage: null });
    for (const [who, id] of [
      [s, "b-1"],
      [other, "b-2"],
    ] as const) {
      await call("consume", { key: who.secret, model: "glm-4.7", requestId: id });
      await call("usage", {
        key: who.secret,
        requestId: id,
        model: "glm-4.7",
        inputTokens: 1,
        outputTokens: 1,
        toolCallIds: [`${id}-tc`],
      });
    }
    const answers = await Promise.all([
      call("consume", { key: s.secret, model: "glm-4.7", requestId: "b-3", toolResultIds: ["b-1-tc"] }),
      call("consume", { key: s.secret, model: "glm-4.7", requestId: "b-4", toolResultIds: ["b-1-tc", "b-1-tc"] }),
      call("consume", { key: s.secret, model: "glm-4.7", requestId: "b-5", toolResultIds: ["b-2-tc"] }),
      call("consume", { key: other.secret, model: "glm-4.7", requestId: "b-6", toolResultIds: ["b-2-tc"] }),
      call("consume", { key: s.secret, model: "glm-4.7", requestId: "b-7", toolResultIds: ["b-1-tc", "nope"] }),
    ]);
    expect(answers.map((a) => (a.body as { promptId: string; cost: number }).promptId)).toEqual([
      "b-1",
      "b-1",
      "b-5",
      "b-2",
      "b-7",
    ]);
    expect(answers.map((a) => (a.body as { cost: number }).cost)).toEqual([0, 0, 1, 0, 1]);
  });

  it("QUOTA-1: a tool call older than the tool-loop time starts a new prompt", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const start = new Date();
    gw.deps.now = async () => start;
    model.script(toolLoopScript(1));
    try {
      const client = new Anthropic({ apiKey: s.secret, baseURL: gw.anthropicBase, maxRetries: 0 });
      const first = await client.messages.create({
        model: "glm-4.7",
        max_tokens: 100,
        messages: [{ role: "user", content: "go" }],
      });
      const use = first.content.find((c) => c.type === "tool_use")!;
      gw.deps.now = async () => new Date(start.getTime() + 31 * 60_000);
      await client.messages.create({
        model: "glm-4.7",
        max_tokens: 100,
        messages: [
          { role: "user", content: "go" },
          { role: "assistant", content: first.content },
          { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "x" }] },
        ],
      });
      expect(await units(s.sub.id)).toBe(2);
    } finally {
      gw.deps.now = async () => new Date();
    }
  });
});
