// First: the settings the routes read when they are imported.
import { GATEWAY_SECRET as SECRET } from "./support/body-bounds-env";
import type { AddressInfo } from "node:net";
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as auth from "../../app/api/auth/[...nextauth]/route";
import * as webhook from "../../app/api/stripe/webhook/route";
import { anthropicCountTokens, anthropicMessages } from "../../lib/gateway/anthropic-wire";
import type { GatewayDeps } from "../../lib/gateway/call";
import * as paths from "../../lib/gateway/decision-server";
import { openaiChat } from "../../lib/gateway/openai-wire";
import { gatewayRoute } from "../../lib/gateway/route";
import { db } from "../../lib/db";
import { appBillingDeps } from "../../lib/billing";
import { stripeWebhookEndpoint } from "../../lib/payments/webhooks";
import { serveQuotaRoutes } from "../support/app-routes";
import { fireBigBody, type Shot } from "../support/big-body";
import { setupFreshDatabase } from "../support/database";
import { servers } from "../support/gateway";
import { ctxOf, subscriberWithKey } from "../support/quota";
import { serveRoutes } from "../support/route-server";

const MB = 1024 * 1024;
const FIFTY_MB = 50 * MB;
const t = setupFreshDatabase();
let app: Awaited<ReturnType<typeof serveQuotaRoutes>>;
let other: Awaited<ReturnType<typeof serveRoutes>>;
let decisions: http.Server;
let decisionUrl: string;
let deps: GatewayDeps;

beforeAll(async () => {
  app = await serveQuotaRoutes();
  other = await serveRoutes({
    "/api/stripe/webhook": { POST: webhook.POST as never },
    "/api/auth/*": { POST: auth.POST as never },
  });
  deps = { ctx: ctxOf(t.db, t.url), now: async () => new Date(), leaseSeconds: 60, servers: servers(), log: () => {} };
  // The decision server as scripts/decision-server.ts builds it: its model routes and the webhook.
  decisions = paths.createDecisionServer(
    { ctx: deps.ctx, secret: SECRET, now: async () => new Date(), leaseSeconds: 60 },
    () => {},
    {
      [paths.PAYG_PATH]: gatewayRoute("openai", (req) => openaiChat(deps, req)),
      [paths.CODING_OPENAI_PATH]: gatewayRoute("openai", (req) => openaiChat(deps, req)),
      [paths.ANTHROPIC_MESSAGES_PATH]: gatewayRoute("anthropic", (req) => anthropicMessages(deps, req)),
      [paths.ANTHROPIC_COUNT_TOKENS_PATH]: gatewayRoute("anthropic", (req) => anthropicCountTokens(deps, req)),
      [paths.STRIPE_WEBHOOK_PATH]: stripeWebhookEndpoint(db, appBillingDeps),
    },
  );
  await new Promise<void>((r) => decisions.listen(0, "127.0.0.1", r));
  decisionUrl = `http://127.0.0.1:${(decisions.address() as AddressInfo).port}`;
});
afterAll(async () => {
  decisions?.closeAllConnections();
  decisions?.close();
  await deps?.ctx.cache.stop();
  await other?.close();
  await app?.close();
});

const MODEL_ROUTES = [
  paths.CODING_OPENAI_PATH,
  paths.ANTHROPIC_MESSAGES_PATH,
  paths.ANTHROPIC_COUNT_TOKENS_PATH,
  paths.PAYG_PATH,
];
const MADE_UP_KEY = {
  authorization: "Bearer cp_made_up_key_0000000000000000",
  "x-api-key": "cp_made_up_key_0000000000000000",
};

/** Refused at once, with one of `statuses`, and without this process's memory growing by anything like the body. */
function expectRefusedUnread(shot: Shot, statuses: number[], what = "") {
  expect(statuses, what).toContain(shot.status);
  expect(shot.ms, what).toBeLessThan(5_000);
  expect(shot.rssGrowth, what).toBeLessThan(20 * MB);
}

type Case = [name: string, url: string, headers: Record<string, string>, statuses: number[]];
/** Every POST route a stranger can reach on a server: `base` serves the model and decision routes, `hooks` the webhook. */
const unauthenticated = (base: string, hooks: string): Case[] => [
  ...MODEL_ROUTES.flatMap((p): Case[] => [
    [`${p} without a key`, `${base}${p}`, {}, [401]],
    [`${p} with a made-up key`, `${base}${p}`, MADE_UP_KEY, [401]],
  ]),
  ["the decision API without the secret", `${base}/api/gateway/v1/consume`, {}, [401]],
  [
    "the decision API with a wrong secret",
    `${base}/api/gateway/v1/consume`,
    { authorization: `Bearer ${"x".repeat(40)}` },
    [401],
  ],
  ["the webhook without a signature", `${hooks}${paths.STRIPE_WEBHOOK_PATH}`, {}, [400]],
];

describe("SEC-3: a 50 MB body without credentials is refused at once and never read whole", () => {
  it.each([
    ["the app's routes", () => [app.url, other.url] as const],
    ["the decision server", () => [decisionUrl, decisionUrl] as const],
  ])("SEC-3: every POST route of %s, the body declared (Content-Length) and chunked", async (_where, bases) => {
    const [base, hooks] = bases();
    for (const [name, url, headers, statuses] of unauthenticated(base, hooks)) {
      for (const chunked of [false, true]) {
        // Warm: a route's first call pays one-time costs (the first Prisma client of the process is some
        // 80 MB and half a second) that have nothing to do with the body and would be counted against it.
        await (
          await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" })
        ).text();
        const shot = await fireBigBody(url, { size: FIFTY_MB, chunked, headers });
        expect(statuses, `${name} (${chunked ? "chunked" : "declared"}) answered ${shot.status}`).toContain(
          shot.status,
        );
        expectRefusedUnread(shot, statuses, `${name} (${chunked ? "chunked" : "declared"})`);
      }
    }
  });

  it("SEC-3: a webhook with a signature header but a 50 MB body is refused before it is read (1 MB at most)", async () => {
    for (const base of [other.url, decisionUrl]) {
      const shot = await fireBigBody(`${base}${paths.STRIPE_WEBHOOK_PATH}`, {
        size: FIFTY_MB,
        headers: { "stripe-signature": "t=1,v1=00" },
      });
      expect(JSON.parse(shot.body)).toMatchObject({ error: { code: "request_too_large" } });
      expectRefusedUnread(shot, [413]);
    }
  });

  it("SEC-3: next-auth's POST (the sign-in form) takes at most 16 KB: 413 in the API's shape", async () => {
    for (const chunked of [false, true]) {
      const shot = await fireBigBody(`${other.url}/api/auth/callback/credentials`, { size: FIFTY_MB, chunked });
      if (!chunked)
        expect(JSON.parse(shot.body)).toEqual({
          error: { code: "request_too_large", message: "The request body is too large." },
        });
      expectRefusedUnread(shot, chunked ? [413, 0] : [413]);
    }
  });
});

describe("SEC-3: with credentials, the body is still bounded (413 in the route's shape)", () => {
  it("SEC-3: the decision API takes at most 64 KB, declared or chunked, on both ports", async () => {
    const headers = { authorization: `Bearer ${SECRET}` };
    for (const base of [app.url, decisionUrl]) {
      const declared = await fireBigBody(`${base}/api/gateway/v1/consume`, { size: FIFTY_MB, headers });
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toEqual({ error: { code: "1210", message: "The request body is too large." } });
      expectRefusedUnread(declared, [413]);
    }
    const chunked = await fireBigBody(`${decisionUrl}/api/gateway/v1/consume`, {
      size: FIFTY_MB,
      chunked: true,
      headers,
    });
    expectRefusedUnread(chunked, [413]);
  });

  it("SEC-3: a model route with a real key refuses a declared 50 MB body in its wire's shape", async () => {
    const s = await subscriberWithKey(t.db, new Date(), "lite");
    for (const base of [app.url, decisionUrl]) {
      const anthropic = await fireBigBody(`${base}${paths.ANTHROPIC_MESSAGES_PATH}`, {
        size: FIFTY_MB,
        headers: { "x-api-key": s.secret },
      });
      expect(JSON.parse(anthropic.body)).toMatchObject({ type: "error", error: { type: "request_too_large" } });
      expectRefusedUnread(anthropic, [413]);
      const openai = await fireBigBody(`${base}${paths.CODING_OPENAI_PATH}`, {
        size: FIFTY_MB,
        headers: { authorization: `Bearer ${s.secret}` },
      });
      expect(JSON.parse(openai.body)).toMatchObject({ error: { code: "1210" } });
      expectRefusedUnread(openai, [413]);
    }
  });
});

describe("SEC-3: operation names are looked up as own properties", () => {
  it.each(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"])(
    "SEC-3: /api/gateway/v1/%s is a 404 on both ports, not a crash",
    async (op) => {
      for (const base of [app.url, decisionUrl]) {
        const res = await fetch(`${base}/api/gateway/v1/${op}`, {
          method: "POST",
          headers: { authorization: `Bearer ${SECRET}`, "content-type": "application/json" },
          body: "{}",
        });
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({ error: { code: "404", message: `No such decision API operation: ${op}` } });
      }
      const route = await fetch(`${decisionUrl}/${op}`, { method: "POST", body: "{}" });
      expect(route.status).toBe(404);
    },
  );
});
