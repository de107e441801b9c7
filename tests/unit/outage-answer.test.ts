import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../lib/db/unavailable";
import { outageAnswer } from "../../lib/http/outage-answer";

describe("REL-3: answers while the database is unavailable", () => {
  it("REL-3: each caller gets a 503 with Retry-After in its own shape", () => {
    const openai = outageAnswer("/api/coding/paas/v4/chat/completions", null);
    expect(openai.status).toBe(503);
    expect(openai.headers["retry-after"]).toMatch(/^\d+$/);
    expect(JSON.parse(openai.body)).toMatchObject({ error: { code: "503", type: "service_unavailable" } });
    expect(JSON.parse(outageAnswer("/api/paas/v4/chat/completions", null).body)).toMatchObject({
      error: { type: "service_unavailable" },
    });
    const anthropic = outageAnswer("/api/anthropic/v1/messages", null);
    expect(JSON.parse(anthropic.body)).toMatchObject({ type: "error", error: { type: "api_error" } });
    expect(anthropic.headers["request-id"]).toMatch(/^req_/);
    for (const path of ["/api/gateway/v1/consume", "/api/billing/quote", "/api/health"])
      expect(JSON.parse(outageAnswer(path, null).body)).toEqual({
        error: { code: "database_unavailable", message: expect.any(String) },
      });
  });

  it("REL-3: a screen gets a small page in the viewer's language (cookie first, then Accept-Language), with nothing it would need the app for", () => {
    const en = outageAnswer("/usage", "en-US,en;q=0.9");
    expect(en.headers["content-type"]).toMatch(/^text\/html/);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain("Back in a moment");
    expect(en.body).toContain('name="viewport"');
    expect(en.body).not.toMatch(/<script|<link/);
    expect(outageAnswer("/", "zh-CN,zh;q=0.9").body).toContain('<html lang="zh-CN">');
    expect(outageAnswer("/", "en", "tz=UTC; NEXT_LOCALE=zh-CN").body).toContain("稍后即可恢复");
  });

  it("REL-3: database outages are told apart from faults of the request", () => {
    const prisma = { code: "P1001", meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } };
    const adapterOnly = { code: "P2010", meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } };
    const shuttingDown = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
    });
    const starting = Object.assign(new Error("the database system is starting up"), { code: "57P03" });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const socketGone = Object.assign(new Error("connect ENOENT /tmp/.s.PGSQL.5432"), { code: "ENOENT" });
    const wrapped = new Error("outer", { cause: new Error("Connection terminated unexpectedly") });
    for (const e of [prisma, adapterOnly, shuttingDown, starting, refused, socketGone, wrapped])
      expect(isDatabaseUnavailable(e)).toBe(true);
    const unique = { code: "P2002", meta: { target: ["email"] } };
    const check = Object.assign(new Error("violates check constraint"), { code: "23514" });
    for (const e of [unique, check, new Error("boom"), null, "text"]) expect(isDatabaseUnavailable(e)).toBe(false);
  });
});
