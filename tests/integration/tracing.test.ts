import http from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTracing } from "../../lib/ops/tracing";

// A local OTLP/HTTP receiver: it records every request it gets (nothing leaves the machine).
const received: { path: string; body: string }[] = [];
let receiver: http.Server;
let endpoint = "";
beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

type Flushable = { forceFlush?: () => Promise<void>; getDelegate?: () => Flushable };
async function flush() {
  const provider = trace.getTracerProvider() as Flushable;
  await (provider.getDelegate?.() ?? provider).forceFlush?.();
}

describe("OpenTelemetry traces", () => {
  it("OTEL-1: with no endpoint configured nothing is registered, spans do not record, and nothing is sent", async () => {
    expect(startTracing(undefined)).toBe(false);
    const span = trace.getTracer("test").startSpan("unsent");
    expect(span.isRecording()).toBe(false);
    span.end();
    await flush();
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toEqual([]);
  });

  it("OTEL-1: with an endpoint, spans go to its /v1/traces as OTLP/HTTP JSON", async () => {
    expect(startTracing(endpoint, "codeplan-test")).toBe(true);
    const span = trace.getTracer("test").startSpan("checkout");
    expect(span.isRecording()).toBe(true);
    span.end();
    await flush();
    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(received[0].path).toBe("/v1/traces");
    const body = JSON.parse(received[0].body);
    const names = body.resourceSpans.flatMap((r: { scopeSpans: { spans: { name: string }[] }[] }) =>
      r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name)),
    );
    expect(names).toContain("checkout");
    expect(received[0].body).toContain("codeplan-test");
  });
});
