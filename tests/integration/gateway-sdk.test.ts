import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveQuotaRoutes } from "../support/app-routes";
import { setupFreshDatabase } from "../support/database";
import { giveCash } from "../support/billing";
import { apiUser } from "../support/payg";
import { subscriberWithKey } from "../support/quota";

process.env.GATEWAY_SECRET = "g".repeat(40);
const t = setupFreshDatabase();
let server: Awaited<ReturnType<typeof serveQuotaRoutes>>;
beforeAll(async () => {
  server = await serveQuotaRoutes();
});
afterAll(() => server?.close());

describe("the reference gateway with the official SDKs", () => {
  it("QUOTA-1: openai — a normal call and a streamed call answer and spend one prompt each", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const client = new OpenAI({ apiKey: s.secret, baseURL: `${server.url}/api/coding/paas/v4`, maxRetries: 0 });
    const r = await client.chat.completions.create({
      model: "glm-4.7",
      messages: [{ role: "user", content: "hello there" }],
    });
    expect(r.choices[0].message.content).toContain("hello there");
    expect(r.usage?.prompt_tokens).toBeGreaterThan(0);
    const stream = await client.chat.completions.create({
      model: "glm-4.7",
      messages: [{ role: "user", content: "stream please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toContain("stream please");
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(2);
    await expect.poll(() => t.db.usageReport.count({ where: { subscriptionId: s.sub.id } })).toBe(2);
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("QUOTA-7: openai — once the 5-hour quota is spent the SDK gets a 429 with code 1308 and the reset time", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const client = new OpenAI({ apiKey: s.secret, baseURL: `${server.url}/api/coding/paas/v4`, maxRetries: 0 });
    // One at a time: Lite has 2 concurrency slots, and parallel calls would be refused with 1302 instead.
    for (let i = 0; i < 80; i++)
      await client.chat.completions.create({ model: "glm-4.7", messages: [{ role: "user", content: "x" }] });
    const err = await client.chat.completions
      .create({ model: "glm-4.7", messages: [{ role: "user", content: "one more" }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(429);
    expect(err.code).toBe("1308");
    expect(err.message).toMatch(
      /Usage limit reached for 5 hour\. Your limit will reset at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
    );
  });

  it("QUOTA-5: openai — GLM-5 on Lite is refused with 1311 (HTTP 400)", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const client = new OpenAI({ apiKey: s.secret, baseURL: `${server.url}/api/coding/paas/v4`, maxRetries: 0 });
    const err = await client.chat.completions
      .create({ model: "glm-5", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect([err.status, err.code]).toEqual([400, "1311"]);
    const list = await client.models.list();
    expect(list.data.map((m) => m.id)).not.toContain("glm-5");
    expect(list.data.map((m) => m.id)).toContain("glm-4.7");
  });

  it("QUOTA-1: anthropic — a normal call, a streamed call and count_tokens", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "pro");
    const client = new Anthropic({ apiKey: s.secret, baseURL: `${server.url}/api/anthropic`, maxRetries: 0 });
    const m = await client.messages.create({
      model: "glm-4.7",
      max_tokens: 200,
      messages: [{ role: "user", content: "hello claude" }],
    });
    expect(m.content[0].type === "text" && m.content[0].text).toContain("hello claude");
    const stream = client.messages.stream({
      model: "glm-4.7",
      max_tokens: 200,
      messages: [{ role: "user", content: "stream it" }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0].type === "text" && final.content[0].text).toContain("stream it");
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    const count = await client.messages.countTokens({
      model: "glm-4.7",
      messages: [{ role: "user", content: "count me" }],
    });
    expect(count.input_tokens).toBeGreaterThan(0);
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(2);
  });

  it("QUOTA-7: anthropic — 1308 with HTTP 429 in Anthropic's error shape, and 1311 for GLM-5 on Lite", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const client = new Anthropic({ apiKey: s.secret, baseURL: `${server.url}/api/anthropic`, maxRetries: 0 });
    const e1311 = await client.messages
      .create({ model: "GLM-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(e1311).toBeInstanceOf(Anthropic.APIError);
    expect(e1311.status).toBe(400);
    expect(e1311.error).toMatchObject({ type: "error", error: { type: "1311" } });
    for (let i = 0; i < 80; i++)
      await client.messages.create({ model: "glm-4.7", max_tokens: 10, messages: [{ role: "user", content: "x" }] });
    const e1308 = await client.messages
      .create({ model: "glm-4.7", max_tokens: 10, messages: [{ role: "user", content: "x" }] })
      .catch((e) => e);
    expect(e1308.status).toBe(429);
    expect(e1308.error.error.type).toBe("1308");
    expect(e1308.error.request_id).toMatch(/^req_/);
  });
});

describe("the general API with the official SDK", () => {
  it("BILL-1, BILL-3: openai — a normal and a streamed call on /api/paas/v4 are billed per token from the balance, then 1113 once it is spent", async () => {
    const u = await apiUser(t.db, new Date());
    await giveCash(t.db, u.port, u.userId, 50n, new Date());
    const client = new OpenAI({ apiKey: u.secret, baseURL: `${server.url}/api/paas/v4`, maxRetries: 0 });
    const prompt = "x".repeat(20_000); // the local responder counts ~6,700 tokens: ~0.7 cent on GLM-5
    const r = await client.chat.completions.create({
      model: "glm-5",
      max_tokens: 100,
      messages: [{ role: "user", content: prompt }],
    });
    expect(r.usage?.prompt_tokens).toBeGreaterThan(5000);
    const stream = await client.chat.completions.create({
      model: "glm-5",
      max_tokens: 100,
      messages: [{ role: "user", content: prompt }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text.length).toBeGreaterThan(0);
    await expect.poll(() => t.db.apiCall.count({ where: { userId: u.userId } })).toBe(2);
    const fees = await t.db.apiCall.findMany({ where: { userId: u.userId } });
    // BILL-1: each call keeps its exact fee; the whole cents debited are the floor of their sum (0.7 + 0.7 → 1).
    const exact = fees.reduce((sum, f) => sum + f.feeMicro, 0n);
    expect(fees.every((f) => f.feeMicro > 500_000n && f.feeMicro < 1_000_000n)).toBe(true);
    expect(fees.reduce((sum, f) => sum + f.feeMinor, 0n)).toBe(exact / 1_000_000n);
    expect(await t.db.quotaUse.count({ where: { keyId: u.keyId } })).toBe(0);
    // A call that would hold more than is left (a million output tokens) is refused before it runs.
    const err = await client.chat.completions
      .create({ model: "glm-5", max_tokens: 1_000_000, messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect([err.status, err.code, err.message]).toEqual([
      429,
      "1113",
      "429 Insufficient balance or no resource package. Please recharge.",
    ]);
  });
});
