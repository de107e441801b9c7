import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayDeps } from "../../lib/gateway/call";
import { openaiChat } from "../../lib/gateway/openai-wire";
import { gatewayRoute } from "../../lib/gateway/route";
import { setupFreshDatabase } from "../support/database";
import { ctxOf, subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();
let upstream: http.Server;
let upstreamUrl = "";
const seen: unknown[] = [];

// A stand-in model server speaking OpenAI's streamed chat completions, with usage.
beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ auth: req.headers.authorization, body: JSON.parse(body) });
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const piece of ["Upstream ", "says ", "hi"]) res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece } }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 120, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 100 } } })}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

function deps(url: string): GatewayDeps {
  return { ctx: ctxOf(t.db, t.url), now: async () => new Date(), leaseSeconds: 60, upstream: { url, apiKey: "up-secret" }, log: () => {} };
}

const call = (secret: string, d: GatewayDeps) =>
  gatewayRoute("openai", (req) => openaiChat(d, req))(
    new Request("http://codeplan.test/api/coding/paas/v4/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "glm-4.7", messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello" }] }),
    }),
  );

describe("the reference gateway forwarding to an upstream model server", () => {
  it("QUOTA-1: the call is forwarded with the upstream's key, answered with its text, and its token counts are reported", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const res = await call(s.secret, deps(upstreamUrl));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.choices[0].message.content).toBe("Upstream says hi");
    expect(body.usage).toEqual({ prompt_tokens: 120, completion_tokens: 7, total_tokens: 127, prompt_tokens_details: { cached_tokens: 100 } });
    expect(seen.at(-1)).toMatchObject({ auth: "Bearer up-secret", body: { model: "glm-4.7", stream: true, messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hello" }] } });
    const report = await t.db.usageReport.findFirstOrThrow({ where: { subscriptionId: s.sub.id } });
    expect([report.inputTokens, report.outputTokens, report.cachedTokens, report.model]).toEqual([120, 7, 100, "glm-4.7"]);
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });

  it("QUOTA-7: an upstream that does not answer gives 502, and the prompt and the slot come back", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    const res = await call(s.secret, deps("http://127.0.0.1:9/v1"));
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: { code: "502", message: "The model server did not answer. Please try again." } });
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
    expect((await t.db.quotaCounter.findUniqueOrThrow({ where: { subscriptionId: s.sub.id } })).weekUsed).toBe(0);
    expect(await t.db.quotaSlot.count({ where: { subscriptionId: s.sub.id } })).toBe(0);
  });
});
