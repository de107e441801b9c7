import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_BODY_LIMIT, refuseOversizedAction } from "../../scripts/lib/action-body-limit";
import { sendOversized } from "../security/probe";

// What scripts/web-server.ts does before Next; the stand-in for Next reads the whole body, as Next's action handler would start to.
let read = 0;
const server = http.createServer((req, res) => {
  if (refuseOversizedAction(req, res)) return;
  req.on("data", (c: Buffer) => (read += c.length));
  req.on("end", () => res.writeHead(200).end("next"));
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("server action bodies (scripts/web-server.ts)", () => {
  it("SEC-3: a server action declaring more than Next's limit gets 413 before its body is read", async () => {
    read = 0;
    const a = await sendOversized(
      base,
      { method: "POST", path: "/keys", headers: { "next-action": "60abc" } },
      50 * 1024 * 1024,
    );
    expect(a.status).toBe(413);
    expect(read).toBe(0);
    expect(a.sentAtAnswer).toBeLessThan(16 * 1024 * 1024);
  });

  it("SEC-3: an action within the limit, and any other request, go on to Next", async () => {
    const action = await fetch(`${base}/keys`, {
      method: "POST",
      headers: { "next-action": "60abc" },
      body: "x".repeat(ACTION_BODY_LIMIT),
    });
    expect(action.status).toBe(200);
    const upload = await fetch(`${base}/api/x`, { method: "POST", body: "x".repeat(ACTION_BODY_LIMIT + 1) });
    expect(upload.status).toBe(200);
  });
});
