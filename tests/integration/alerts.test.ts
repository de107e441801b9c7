import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import {
  deliverDueWebhooks,
  evaluateAlerts,
  mailPendingAlerts,
  pruneAlerts,
  saveAlertSettings,
  sendTestWebhook,
} from "../../lib/alerts";
import { at, giveCredits } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { ask, ctxOf, subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();
const HOUR = 3_600_000;
// The tests' receivers run on loopback: only 127.0.0.1 is let through, so 127.0.0.2 stands for an inside address.
const opts = { allowPrivate: (ip: string) => ip === "127.0.0.1", timeoutMs: 3000 };

type Received = { headers: IncomingMessage["headers"]; body: string };
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

/** A webhook receiver answering with the statuses given in turn (then 204), keeping what it got. */
async function receiver(host: string, answers: Array<number | { redirect: string }> = []) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      const answer = answers.shift() ?? 204;
      if (typeof answer === "number") res.writeHead(answer).end();
      else res.writeHead(307, { location: answer.redirect }).end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, host, r));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}/hook`, got };
}

async function subscriberWatching(now: Date, webhookUrl: string | null, extra: { lowBalanceMinor?: bigint } = {}) {
  const s = await subscriberWithKey(t.db, now, "lite");
  await saveAlertSettings(
    t.db,
    s.userId,
    {
      fiveHour: [80, 100],
      weekly: [80, 100],
      monthly: [80, 100],
      lowBalanceMinor: extra.lowBalanceMinor ?? null,
      currency: "USD",
      byEmail: true,
      inApp: true,
      webhookUrl,
    },
    now,
  );
  const secret = (await t.db.alertSetting.findUniqueOrThrow({ where: { userId: s.userId } })).webhookSecret;
  return { ...s, webhookSecret: secret };
}

async function usePrompts(secret: string, count: number, now: Date) {
  const ctx = ctxOf(t.db, t.url);
  for (let i = 0; i < count; i++) expect((await ask(ctx, secret, now)).allowed).toBe(true);
}

describe("ALERT-1: quota alerts", () => {
  it("ALERT-1: 80 % of the 5-hour window fires once on every channel however many workers look, and resolves once the window resets", async () => {
    const now = at("2027-05-03T09:00:00Z");
    const hook = await receiver("127.0.0.1");
    const s = await subscriberWatching(now, hook.url);
    const limit = (await t.db.planVersion.findUniqueOrThrow({ where: { id: s.sub.planVersionId } })).prompts5h;
    await usePrompts(s.secret, Math.ceil(limit * 0.8), now);

    // Three workers evaluate at once: one state, one notice, one event, one delivery.
    await Promise.all([evaluateAlerts(t.db, now), evaluateAlerts(t.db, now), evaluateAlerts(t.db, now)]);
    await evaluateAlerts(t.db, new Date(now.getTime() + 60_000));
    const states = await t.db.alertState.findMany({ where: { userId: s.userId, subject: "five_hour" } });
    expect(states.map((x) => Number(x.threshold))).toEqual([80]);
    expect(await t.db.notice.count({ where: { userId: s.userId, kind: "quota_alert" } })).toBe(1);
    expect(await t.db.alertEvent.count({ where: { userId: s.userId, type: "quota.threshold_reached" } })).toBe(1);

    // E-mail once, by the alert outbox only (the in-app notice is not mailed again by the notice outbox).
    expect(await mailPendingAlerts(t.db, now)).toBe(1);
    expect(await mailPendingAlerts(t.db, now)).toBe(0);
    const user = await t.db.user.findUniqueOrThrow({ where: { id: s.userId } });
    const mails = await t.db.devMail.findMany({ where: { to: user.email } });
    expect(mails.map((m) => m.subject)).toEqual(["CodePlan: You have used 80% of your 5-hour window"]);
    expect(
      (await t.db.notice.findFirstOrThrow({ where: { userId: s.userId, kind: "quota_alert" } })).mailedAt,
    ).not.toBeNull();

    // The webhook: signed per Standard Webhooks, verified by the receiver with the secret the screen shows.
    expect(await deliverDueWebhooks(t.db, now, opts)).toBe(1);
    expect(hook.got).toHaveLength(1);
    const verified = new Webhook(s.webhookSecret!).verify(
      hook.got[0].body,
      hook.got[0].headers as Record<string, string>,
    ) as { type: string; data: Record<string, unknown> };
    expect(verified.type).toBe("quota.threshold_reached");
    expect(verified.data).toMatchObject({ subject: "five_hour", threshold: "80", limit });
    expect(() =>
      new Webhook(`whsec_${Buffer.from("another secret!!").toString("base64")}`).verify(
        hook.got[0].body,
        hook.got[0].headers as Record<string, string>,
      ),
    ).toThrow();

    // Five hours later the prompts are back: "resolved", once, on the webhook too.
    const later = new Date(now.getTime() + 5 * HOUR + 1000);
    expect(await evaluateAlerts(t.db, later)).toEqual({ fired: 0, resolved: 1 });
    expect(await evaluateAlerts(t.db, later)).toEqual({ fired: 0, resolved: 0 });
    expect(await deliverDueWebhooks(t.db, later, opts)).toBe(1);
    expect(JSON.parse(hook.got[1].body)).toMatchObject({
      type: "quota.threshold_resolved",
      data: { subject: "five_hour", threshold: "80" },
    });

    // And it can fire again in the next window.
    await usePrompts(s.secret, Math.ceil(limit * 0.8), later);
    expect(await evaluateAlerts(t.db, later)).toEqual({ fired: 1, resolved: 0 });
    expect(await deliverDueWebhooks(t.db, later, opts)).toBe(1);
    expect(hook.got).toHaveLength(3);
  });

  it("ALERT-1: a failing receiver is retried with backoff and the log says so; a redirect into the private network is refused", async () => {
    const now = at("2027-05-04T09:00:00Z");
    const flaky = await receiver("127.0.0.1", [500]);
    const s = await subscriberWatching(now, flaky.url);
    expect(await sendTestWebhook(t.db, s.userId, now, opts)).toMatchObject({ ok: true, delivered: false, status: 500 });
    const [first] = await t.db.webhookDelivery.findMany({ where: { userId: s.userId } });
    expect(first.attempts).toBe(1);
    expect(first.status).toBe("pending");
    // Not due before the first backoff (30 s); delivered after it.
    expect(await deliverDueWebhooks(t.db, new Date(now.getTime() + 10_000), opts)).toBe(0);
    expect(await deliverDueWebhooks(t.db, new Date(now.getTime() + 31_000), opts)).toBe(1);
    expect(await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      status: "delivered",
      attempts: 2,
      lastStatus: 204,
    });

    const inside = await receiver("127.0.0.2");
    const bouncing = await receiver("127.0.0.1", [{ redirect: inside.url }]);
    await saveAlertSettings(
      t.db,
      s.userId,
      {
        fiveHour: [80],
        weekly: [],
        monthly: [],
        lowBalanceMinor: null,
        currency: "USD",
        byEmail: false,
        inApp: false,
        webhookUrl: bouncing.url,
      },
      now,
    );
    expect(await sendTestWebhook(t.db, s.userId, now, opts)).toMatchObject({
      ok: true,
      delivered: false,
      error: "webhook_url_private",
    });
    const last = await t.db.webhookDelivery.findFirstOrThrow({ where: { userId: s.userId, url: bouncing.url } });
    expect(last.lastError).toBe("webhook_url_private");
    expect(bouncing.got).toHaveLength(1);
    expect(inside.got).toHaveLength(0);
  });

  it("ALERT-1: a low balance fires once below the threshold and resolves when topped up", async () => {
    const now = at("2027-05-05T09:00:00Z");
    const s = await subscriberWatching(now, null, { lowBalanceMinor: 500n });
    const balance = async () => {
      const rows = await t.db.ledgerAccount.findMany({ where: { userId: s.userId, currency: "USD" } });
      return rows.reduce((sum, r) => sum + r.balanceMinor, 0n);
    };
    expect(await balance()).toBeLessThan(500n);
    expect(await evaluateAlerts(t.db, now)).toMatchObject({ fired: 1 });
    expect(await evaluateAlerts(t.db, now)).toMatchObject({ fired: 0 });
    await giveCredits(t.db, s.userId, 1000n, now);
    expect(await evaluateAlerts(t.db, now)).toMatchObject({ resolved: 1 });
    const kinds = (await t.db.notice.findMany({ where: { userId: s.userId }, orderBy: { createdAt: "asc" } })).map(
      (n) => n.kind,
    );
    expect(kinds.filter((k) => k.startsWith("balance_"))).toEqual(["balance_low", "balance_restored"]);
  });
});

describe("ALERT-1: the delivery log's retention", () => {
  it("ALERT-1: closed alerts and finished deliveries older than the retention go; open ones and pending deliveries stay", async () => {
    const now = at("2027-06-01T09:00:00Z");
    const s = await subscriberWithKey(t.db, now, "lite");
    const old = new Date(now.getTime() - 91 * 86_400_000);
    const closed = await t.db.alertState.create({
      data: { userId: s.userId, subject: "weekly", threshold: 80n, windowKey: "x:1", firedAt: old, resolvedAt: old },
    });
    const open = await t.db.alertState.create({
      data: { userId: s.userId, subject: "weekly", threshold: 100n, windowKey: "x:1", firedAt: old },
    });
    const done = await t.db.alertEvent.create({
      data: { userId: s.userId, type: "alert.test", payload: {}, createdAt: old, mailedAt: old },
    });
    await t.db.webhookDelivery.create({
      data: {
        eventId: done.id,
        userId: s.userId,
        url: "https://example.com/",
        status: "delivered",
        createdAt: old,
        updatedAt: old,
      },
    });
    const waiting = await t.db.alertEvent.create({
      data: { userId: s.userId, type: "alert.test", payload: {}, createdAt: old, mailedAt: old },
    });
    await t.db.webhookDelivery.create({
      data: {
        eventId: waiting.id,
        userId: s.userId,
        url: "https://example.com/",
        status: "pending",
        nextAttemptAt: now,
        createdAt: old,
        updatedAt: old,
      },
    });
    expect(await pruneAlerts(t.db, now)).toMatchObject({ deliveries: 1, events: 1, states: 1 });
    expect(await t.db.alertState.findUnique({ where: { id: closed.id } })).toBeNull();
    expect(await t.db.alertState.findUnique({ where: { id: open.id } })).not.toBeNull();
    expect(await t.db.alertEvent.findUnique({ where: { id: waiting.id } })).not.toBeNull();
  });
});
