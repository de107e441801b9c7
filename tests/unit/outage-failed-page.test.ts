import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { outageForFailedPage } from "../../lib/http/outage-gate";

// REL-3: the web server's own wiring (scripts/web-server.ts) around a stand-in for Next's handler, which fails the
// way Next does when a page's database read breaks mid-render: a 500 written explicitly, or implicitly by writing.
type Fail = (res: http.ServerResponse) => void;
const explicit: Fail = (res) => {
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.setHeader("x-nextjs-cache", "MISS");
  res.writeHead(500);
  res.write("<html>Something went wrong</html>");
  res.end();
};
const implicit: Fail = (res) => {
  res.statusCode = 500;
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.write("<html>Something ");
  res.end("went wrong</html>");
};
const endOnly: Fail = (res) => {
  res.statusCode = 500;
  res.end("<html>Something went wrong</html>");
};

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(up: boolean, fail: Fail) {
  server = http.createServer((req, res) => {
    outageForFailedPage({ isUp: () => up }, req, res);
    fail(res);
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("REL-3: a screen that fails mid-render because the database went away", () => {
  for (const [name, fail] of [
    ["writeHead(500)", explicit],
    ["statusCode and write", implicit],
    ["statusCode and end", endOnly],
  ] as const)
    it(`REL-3: gets the outage page with 503 and Retry-After in the viewer's language, not the framework's 500 (${name})`, async () => {
      const base = await serve(false, fail);
      const r = await fetch(`${base}/usage`, { headers: { cookie: "NEXT_LOCALE=zh-CN" } });
      const body = await r.text();
      expect(r.status).toBe(503);
      expect(r.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(r.headers.get("x-nextjs-cache")).toBeNull();
      expect(body).toContain('<html lang="zh-CN">');
      expect(body).not.toContain("Something went wrong");
      expect(Number(r.headers.get("content-length"))).toBe(Buffer.byteLength(body));
    });

  it("REL-3: with the database up a failure stays the framework's 500, and the model and JSON routes are left alone", async () => {
    const base = await serve(true, explicit);
    expect((await fetch(`${base}/usage`)).status).toBe(500);
    await new Promise<void>((r) => server!.close(() => r()));
    const down = await serve(false, explicit);
    for (const path of ["/api/billing/quote", "/api/anthropic/v1/messages"]) {
      const r = await fetch(`${down}${path}`);
      expect(r.status, path).toBe(500);
      expect(await r.text()).toContain("Something went wrong");
    }
  });

  it("REL-3: a page answered normally passes untouched while the database is down", async () => {
    const base = await serve(false, (res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>fine</html>");
    });
    const r = await fetch(`${base}/pricing`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe("<html>fine</html>");
  });
});
