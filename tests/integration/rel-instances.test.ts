import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscribe } from "../../lib/billing";
import { testClock } from "../../lib/clock/clock";
import { LOCAL_SECRET_KEY, signStripePayload, stripeClient, stripePort } from "../../lib/payments/stripe";
import { revokeKey } from "../../lib/quota";
import { liveSub, makeUser } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { checkInvariants, describeViolations } from "../support/invariants";
import { subscriberWithKey } from "../support/quota";
import { serverOf } from "../support/stripe";
import { call, startCodeplan, type Codeplan } from "../support/codeplan-process";

// REL-2: two decision servers and two job workers, as `npm start` runs them, on this file's database. (Web apps
// need a production build; the decision servers serve the model routes and Stripe's webhook with the app's very
// handlers, and share their caches' invalidation with the web apps through Postgres.)
const DECISION_PORTS = [3312, 3313];
const STRIPE_PORT = 3314;
const t = setupFreshDatabase();
let app: Codeplan;
let gatewaySecret: string;

beforeAll(async () => {
  app = startCodeplan(
    // WEB_INSTANCES=0 keeps --instances 2 from building and serving the web app (see the comment above).
    {
      DATABASE_URL: t.url,
      APP_ENV: "test",
      WEB_INSTANCES: "0",
      PORT: "3219",
      DECISION_PORT: String(DECISION_PORTS[0]),
      STRIPE_LOCAL_PORT: String(STRIPE_PORT),
    },
    ["--instances", "2"],
  );
  await app.waitFor(/instances: 0 web apps \(none\), 2 decision servers \(ports 3312, 3313\), 2 job workers/, 150_000);
  for (const p of DECISION_PORTS) await app.waitFor(new RegExp(`decision API on 127\\.0\\.0\\.1 port ${p}`), 120_000);
  await app.waitFor(/worker: started[\s\S]*worker: started/, 120_000);
  gatewaySecret = app.secret("gateway-secret");
}, 180_000);

afterAll(async () => {
  try {
    expect(await app?.stop()).toBe(0);
  } finally {
    await app?.dispose();
  }
});

const now = () => testClock(t.db).now();

async function consume(port: number, key: string, requestId = randomUUID()) {
  const r = await call(`http://127.0.0.1:${port}/api/gateway/v1/consume`, {
    headers: { authorization: `Bearer ${gatewaySecret}` },
    json: { key, model: "glm-4.7", requestId },
  });
  expect(r.status, r.text).toBe(200);
  return JSON.parse(r.text) as {
    allowed: boolean;
    tier?: string;
    refusal?: { code: string };
    windows: { fiveHour: { limit: number; remaining: number } } | null;
  };
}

/** Polls every server until `done` holds on each; the time it took on the slowest. */
async function untilEverywhere(check: (port: number) => Promise<boolean>, ms = 5000): Promise<number> {
  const started = Date.now();
  const pending = new Set(DECISION_PORTS);
  while (pending.size && Date.now() - started < ms) {
    for (const p of [...pending]) if (await check(p)) pending.delete(p);
    if (pending.size) await new Promise((r) => setTimeout(r, 20));
  }
  expect([...pending], "instances that never saw the change").toEqual([]);
  return Date.now() - started;
}

describe("REL-2: two of each process on one database", () => {
  it("REL-2: quota stays exact when parallel decisions are spread over both decision servers", async () => {
    const s = await subscriberWithKey(t.db, await now(), "lite");
    const first = await consume(DECISION_PORTS[0], s.secret);
    const limit = first.windows!.fiveHour.limit;
    const answers = await Promise.all(
      Array.from({ length: limit + 40 }, (_, i) => consume(DECISION_PORTS[i % 2], s.secret)),
    );
    expect(answers.filter((a) => a.allowed)).toHaveLength(limit - 1);
    expect(answers.filter((a) => !a.allowed).map((a) => a.refusal?.code)).toEqual(
      Array(41).fill(answers.find((a) => !a.allowed)!.refusal!.code),
    );
    expect(await t.db.quotaUse.count({ where: { subscriptionId: s.sub.id } })).toBe(limit);
  });

  it("REL-2: a revoked key is refused on every instance within a second", async () => {
    const s = await subscriberWithKey(t.db, await now(), "lite");
    // Both instances have the key in their caches.
    for (const p of DECISION_PORTS) expect((await consume(p, s.secret)).allowed).toBe(true);
    await revokeKey(t.db, s.userId, s.keyId, await now());
    const took = await untilEverywhere(async (p) => !(await consume(p, s.secret)).allowed);
    expect(took).toBeLessThan(1000);
    for (const p of DECISION_PORTS) expect((await consume(p, s.secret)).refusal?.code).toBeTruthy();
  });

  it("REL-2: a plan change is seen by every instance at once", async () => {
    const s = await subscriberWithKey(t.db, await now(), "lite");
    for (const p of DECISION_PORTS) expect(await consume(p, s.secret)).toMatchObject({ allowed: true, tier: "lite" });
    const litLimit = (await consume(DECISION_PORTS[0], s.secret)).windows!.fiveHour.limit;
    expect((await s.upgradeTo("pro", await now())).status).toBe("paid");
    const took = await untilEverywhere(async (p) => (await consume(p, s.secret)).tier === "pro");
    expect(took).toBeLessThan(1000);
    for (const p of DECISION_PORTS)
      expect((await consume(p, s.secret)).windows!.fiveHour.limit).toBeGreaterThan(litLimit);
  });

  it("REL-2: each Stripe event is processed once and each renewal job runs once with two workers", async () => {
    const stripe = stripeClient({ secretKey: LOCAL_SECRET_KEY, server: serverOf(`http://127.0.0.1:${STRIPE_PORT}`) });
    let at = await now();
    const port = stripePort({ db: t.db, stripe, provider: "stripe-local", now: async () => at });
    const users: string[] = [];
    for (let i = 0; i < 4; i++) {
      const userId = await makeUser(t.db, at);
      const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
      expect(
        (
          await port.saveCard({
            userId,
            email: user.email,
            paymentMethod: "pm_card_visa",
            returnUrl: "http://localhost/r",
            idempotencyKey: `setup:${userId}`,
          })
        ).status,
      ).toBe("succeeded");
      expect(
        (
          await subscribe(
            { db: t.db, now: at, port },
            { userId, tier: "lite", cycle: "monthly", requestId: randomUUID() },
          )
        ).status,
      ).toBe("paid");
      users.push(userId);
    }
    // The local Stripe server delivered each event to the first decision server; now Stripe "retries" each one
    // three times on each instance at once.
    const secret = app.secret("stripe-webhook-secret");
    const events = [];
    for await (const e of stripe.events.list({ limit: 100 })) if (e.type === "payment_intent.succeeded") events.push(e);
    expect(events.length).toBeGreaterThanOrEqual(4);
    const answers = await Promise.all(
      events.flatMap((e) => {
        const body = JSON.stringify(e);
        return Array.from({ length: 6 }, (_, i) =>
          call(`http://127.0.0.1:${DECISION_PORTS[i % 2]}/api/stripe/webhook`, {
            method: "POST",
            body,
            headers: { "stripe-signature": signStripePayload(body, secret) },
          }),
        );
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const ids = events.map((e) => e.id);
    const deadline = Date.now() + 20_000;
    while (
      (await t.db.paymentEvent.count({ where: { id: { in: ids }, status: "processed" } })) < ids.length &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 200));
    const rows = await t.db.paymentEvent.findMany({ where: { id: { in: ids } } });
    expect(rows.map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ["processed", 1]));

    // A month later both workers sweep and work renewals from the one queue: each is charged and paid once.
    at = await testClock(t.db).advanceBy(31 * 24 * 3600_000);
    const renewed = Date.now() + 60_000;
    const done = async () =>
      (await t.db.invoice.count({ where: { userId: { in: users }, kind: "renewal", status: "paid" } })) >= users.length;
    while (!(await done()) && Date.now() < renewed) await new Promise((r) => setTimeout(r, 250));
    expect(await done(), app.output().slice(-3000)).toBe(true);
    for (const userId of users) {
      const sub = await liveSub(t.db, userId);
      const renewals = await t.db.invoice.findMany({
        where: { subscriptionId: sub.id, kind: "renewal" },
        include: { payments: true },
      });
      expect(renewals.map((i) => [i.status, i.payments.filter((p) => p.status === "succeeded").length])).toEqual([
        ["paid", 1],
      ]);
      expect(sub.periodIndex).toBe(2);
    }
    const violations = await checkInvariants(t.url);
    expect(violations, describeViolations(violations)).toEqual([]);
  }, 120_000);
});
