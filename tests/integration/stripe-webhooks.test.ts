import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { refundPayment, renewSubscription, subscribe } from "../../lib/billing";
import { at, balanceMismatches, liveSub, makeUser } from "../support/billing";
import { eventNote, postWebhook, recordedEvents, signed } from "../support/stripe";
import { setupStripeWorld } from "../support/stripe-world";

const { t, local, deps } = setupStripeWorld();

const RETURN_URL = "http://localhost:3000/payments/return?next=%2Fsubscription";

/** A user with a saved test card (through the port's SetupIntent), ready to pay. */
async function customerWithCard(now: Date, card = "pm_card_visa") {
  const userId = await makeUser(t.db, now);
  const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
  const saved = await deps(now).port.saveCard({
    userId,
    email: user.email,
    paymentMethod: card,
    returnUrl: RETURN_URL,
    idempotencyKey: `setup:${userId}`,
  });
  expect(saved.status).toBe("succeeded");
  return userId;
}

/** The customer passes (or fails) the local 3-D Secure challenge. */
async function challenge(actionUrl: string, result: "succeed" | "fail") {
  const res = await fetch(`${actionUrl}/complete`, {
    method: "POST",
    body: new URLSearchParams({ result }),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
}

async function eventsFor(paymentIntentId: string, types: string[]) {
  return (await recordedEvents(local, types)).filter((e) => {
    const o = e.data.object as { id?: string; payment_intent?: string };
    return o.id === paymentIntentId || o.payment_intent === paymentIntentId;
  });
}

describe("webhook route: signature (PAY-2)", () => {
  const event = {
    id: `evt_${randomUUID()}`,
    object: "event",
    type: "payment_intent.succeeded",
    data: { object: { id: "pi_x", object: "payment_intent", metadata: {} } },
  };

  it("PAY-2: a wrong secret, a stale timestamp, a tampered body or no signature answers 400 and stores nothing", async () => {
    const wrong = signed(event, { secret: "whsec_not_ours" });
    const stale = signed(event, { timestamp: Math.floor(Date.now() / 1000) - 400 });
    const good = signed(event);
    const tampered = { body: good.body.replace("pi_x", "pi_y"), header: good.header };
    for (const delivery of [
      wrong,
      stale,
      tampered,
      { body: good.body, header: null },
      { body: good.body, header: "t=1,v1=nonsense" },
    ]) {
      const res = await postWebhook(delivery);
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe("invalid_signature");
    }
    expect(await t.db.paymentEvent.count({ where: { id: event.id } })).toBe(0);
  });

  it("PAY-2: an event type CodePlan ignores answers 200 and is stored as processed", async () => {
    const ignored = {
      ...event,
      id: `evt_${randomUUID()}`,
      type: "customer.created",
      data: { object: { id: "cus_1", object: "customer" } },
    };
    const res = await postWebhook(signed(ignored));
    expect(res).toEqual({ status: 200, body: { received: true, outcome: "stored" } });
    expect(await eventNote(t.db, ignored.id)).toEqual({ status: "processed", note: "ignored", attempts: 1 });
  });

  it("PAY-2: an event for a payment CodePlan does not know is acknowledged and changes nothing", async () => {
    const id = `evt_${randomUUID()}`;
    const res = await postWebhook(signed({ ...event, id }));
    expect(res).toEqual({ status: 200, body: { received: true, outcome: "stored" } });
    expect(await eventNote(t.db, id)).toEqual({ status: "processed", note: "not_ours", attempts: 1 });
  });
});

describe("webhook on the lean ingress server", () => {
  it("PAY-2: the decision server answers Stripe's webhook with the app route's handler: 400 for a bad signature, stored once, a redelivery a duplicate", async () => {
    const { createDecisionServer, STRIPE_WEBHOOK_PATH } = await import("../../lib/gateway/decision-server");
    const { quotaContextFor } = await import("../../lib/quota");
    const { stripeWebhookEndpoint, eventsDrained } = await import("../../lib/payments/webhooks");
    const now = at("2027-04-01T08:00:00Z");
    const endpoint = stripeWebhookEndpoint(
      () => t.db,
      async () => deps(now),
    );
    const server = createDecisionServer(
      { ctx: quotaContextFor(t.db, t.url), secret: "s".repeat(40), now: async () => now, leaseSeconds: 60 },
      () => {},
      { [STRIPE_WEBHOOK_PATH]: endpoint },
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const post = async (delivery: { body: string; header: string }) => {
      const res = await fetch(`http://127.0.0.1:${port}${STRIPE_WEBHOOK_PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": delivery.header },
        body: delivery.body,
      });
      return { status: res.status, body: await res.json() };
    };
    try {
      const event = {
        id: `evt_${randomUUID()}`,
        object: "event",
        type: "customer.created",
        data: { object: { id: "cus_1", object: "customer" } },
      };
      expect((await post(signed(event, { secret: "whsec_not_ours" }))).status).toBe(400);
      expect(await t.db.paymentEvent.count({ where: { id: event.id } })).toBe(0);
      const deliveries = await Promise.all([post(signed(event)), post(signed(event)), post(signed(event))]);
      expect(deliveries.map((d) => d.body.outcome).sort()).toEqual(["duplicate", "duplicate", "stored"]);
      await eventsDrained();
      expect(await eventNote(t.db, event.id)).toEqual({ status: "processed", note: "ignored", attempts: 1 });
      expect((await post(signed(event))).body).toEqual({ received: true, outcome: "duplicate" });
    } finally {
      server.close();
    }
  });
});

describe("payments through the local Stripe server and the webhook route", () => {
  it("PAY-1, PAY-2: a 3-D Secure subscription is paid once when payment_intent.succeeded arrives 5 times at once", async () => {
    const now = at("2027-05-01T08:00:00Z");
    const userId = await makeUser(t.db, now);
    const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
    // Saving a 3-D Secure card needs its own challenge; the card is saved by setup_intent.succeeded (the customer closed the tab).
    const setup = await deps(now).port.saveCard({
      userId,
      email: user.email,
      paymentMethod: "pm_card_authenticationRequired",
      returnUrl: RETURN_URL,
      idempotencyKey: `setup3ds:${userId}`,
    });
    if (setup.status !== "requires_action") throw new Error(`expected 3-D Secure on setup, got ${setup.status}`);
    expect(await deps(now).port.savedMethod(userId)).toBeNull();
    await challenge(setup.actionUrl, "succeed");
    const [si] = (await recordedEvents(local, ["setup_intent.succeeded"])).slice(-1);
    expect((await postWebhook(signed(si))).body.outcome).toBe("stored");
    expect(await deps(now).port.savedMethod(userId)).toMatchObject({ last4: "3184" });

    const outcome = await subscribe(deps(now), {
      userId,
      tier: "pro",
      cycle: "monthly",
      requestId: "r1",
      returnUrl: RETURN_URL,
    });
    expect(outcome.status).toBe("requires_action");
    if (outcome.status !== "requires_action") return;
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "open",
    });
    await challenge(outcome.actionUrl, "succeed");

    const pi = (await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } })).providerPaymentId!;
    const [succeeded] = await eventsFor(pi, ["payment_intent.succeeded"]);
    const delivery = signed(succeeded);
    const answers = await Promise.all(Array.from({ length: 5 }, () => postWebhook(delivery)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.outcome === "stored")).toHaveLength(1);
    expect(answers.filter((a) => a.body.outcome === "duplicate")).toHaveLength(4);
    expect(await eventNote(t.db, succeeded.id)).toEqual({ status: "processed", note: "succeeded", attempts: 1 });

    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "paid",
    });
    expect(await t.db.ledgerTransaction.count({ where: { invoiceId: outcome.invoiceId, kind: "card_payment" } })).toBe(
      1,
    );
    expect(await liveSub(t.db, userId)).toMatchObject({ tier: "pro", status: "active" });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("PAY-2: events delivered in reverse order (succeeded, then requires_action) converge on the paid state", async () => {
    const now = at("2027-05-02T08:00:00Z");
    const userId = await customerWithCard(now, "pm_card_visa");
    const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
    // Replace the card by a 3-D Secure one without a challenge on setup: pay on-session with it.
    const d = deps(now);
    const setup = await d.port.saveCard({
      userId,
      email: user.email,
      paymentMethod: "pm_card_authenticationRequired",
      returnUrl: RETURN_URL,
      idempotencyKey: `s2:${userId}`,
    });
    if (setup.status === "requires_action") await challenge(setup.actionUrl, "succeed");
    await postWebhook(signed((await recordedEvents(local, ["setup_intent.succeeded"])).slice(-1)[0]));
    const outcome = await subscribe(d, {
      userId,
      tier: "lite",
      cycle: "monthly",
      requestId: "r1",
      returnUrl: RETURN_URL,
    });
    expect(outcome.status).toBe("requires_action");
    if (outcome.status !== "requires_action") return;
    await challenge(outcome.actionUrl, "succeed");
    const pi = (await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } })).providerPaymentId!;
    const events = await eventsFor(pi, ["payment_intent.requires_action", "payment_intent.succeeded"]);
    expect(events.map((e) => e.type)).toEqual(["payment_intent.requires_action", "payment_intent.succeeded"]);

    for (const e of [...events].reverse()) expect((await postWebhook(signed(e))).status).toBe(200);

    expect(await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } })).toMatchObject({
      status: "succeeded",
    });
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "paid",
    });
    expect(await liveSub(t.db, userId)).toMatchObject({ tier: "lite", status: "active" });
  });

  it("PAY-1: failing 3-D Secure voids the purchase: no subscription, stock given back, nothing charged", async () => {
    const now = at("2027-05-03T08:00:00Z");
    const userId = await makeUser(t.db, now);
    const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
    const d = deps(now);
    const setup = await d.port.saveCard({
      userId,
      email: user.email,
      paymentMethod: "pm_card_authenticationRequired",
      returnUrl: RETURN_URL,
      idempotencyKey: `s3:${userId}`,
    });
    if (setup.status === "requires_action") await challenge(setup.actionUrl, "succeed");
    await d.port.setupStatus(
      userId,
      ((await recordedEvents(local, ["setup_intent.succeeded"])).slice(-1)[0].data.object as { id: string }).id,
    );
    const outcome = await subscribe(d, {
      userId,
      tier: "max",
      cycle: "monthly",
      requestId: "r1",
      returnUrl: RETURN_URL,
    });
    if (outcome.status !== "requires_action") throw new Error(`expected 3-D Secure, got ${outcome.status}`);
    await challenge(outcome.actionUrl, "fail");
    const pi = (await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } })).providerPaymentId!;
    const [failed] = await eventsFor(pi, ["payment_intent.payment_failed"]);
    expect((await postWebhook(signed(failed))).body.outcome).toBe("stored");
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "void",
    });
    expect(await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } })).toMatchObject({
      status: "failed",
      failureCode: "payment_intent_authentication_failure",
    });
    expect(await t.db.subscription.count({ where: { userId } })).toBe(0);
  });

  it("SUB-2: a renewal with the clock moved forward charges the saved card off-session under the renewal's key; the webhook then changes nothing more", async () => {
    const start = at("2027-06-01T00:00:00Z");
    const userId = await customerWithCard(start);
    expect(
      (await subscribe(deps(start), { userId, tier: "pro", cycle: "monthly", requestId: "r1", returnUrl: RETURN_URL }))
        .status,
    ).toBe("paid");
    const sub = await liveSub(t.db, userId);

    const later = sub.periodEnd;
    expect(await renewSubscription(deps(later), sub.id)).toBe("renewed");
    const key = `renewal:${sub.id}:${later.toISOString()}`;
    const payment = await t.db.payment.findUniqueOrThrow({ where: { idempotencyKey: key } });
    expect(payment).toMatchObject({ status: "succeeded", offSession: true, amountMinor: 3000n });
    const pi = await local.stripe.paymentIntents.retrieve(payment.providerPaymentId!);
    expect(pi.metadata).toMatchObject({ payment_key: key });

    const [succeeded] = await eventsFor(pi.id, ["payment_intent.succeeded"]);
    expect((await postWebhook(signed(succeeded))).body.outcome).toBe("stored");
    expect(await liveSub(t.db, userId)).toMatchObject({
      periodStart: later,
      periodEnd: at("2027-08-01T00:00:00Z"),
      status: "active",
    });
    expect(await t.db.ledgerTransaction.count({ where: { invoiceId: payment.invoiceId, kind: "card_payment" } })).toBe(
      1,
    );
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("SUB-2: a renewal declined for insufficient funds goes past due; the payment_failed webhook does not count the failure twice", async () => {
    const start = at("2027-06-02T00:00:00Z");
    const userId = await customerWithCard(start);
    expect(
      (await subscribe(deps(start), { userId, tier: "lite", cycle: "monthly", requestId: "r1", returnUrl: RETURN_URL }))
        .status,
    ).toBe("paid");
    const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
    await deps(start).port.saveCard({
      userId,
      email: user.email,
      paymentMethod: "pm_card_chargeDeclinedInsufficientFunds",
      returnUrl: RETURN_URL,
      idempotencyKey: `s9995:${userId}`,
    });
    const sub = await liveSub(t.db, userId);

    expect(await renewSubscription(deps(sub.periodEnd), sub.id)).toBe("past_due");
    const invoice = await t.db.invoice.findFirstOrThrow({ where: { subscriptionId: sub.id, kind: "renewal" } });
    expect(invoice).toMatchObject({ status: "open", attempts: 1 });
    const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId: invoice.id } });
    expect(payment).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
    const [failed] = await eventsFor(payment.providerPaymentId!, ["payment_intent.payment_failed"]);
    expect((await postWebhook(signed(failed))).body.outcome).toBe("stored");
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({ attempts: 1 });
    expect(await t.db.notice.count({ where: { userId, kind: "renewal_failed" } })).toBe(1);
  });
});

describe("refunds and disputes through the webhook route", () => {
  async function paidSubscriber(now: Date, tier: "lite" | "pro" = "pro") {
    const userId = await customerWithCard(now);
    const outcome = await subscribe(deps(now), {
      userId,
      tier,
      cycle: "monthly",
      requestId: "r1",
      returnUrl: RETURN_URL,
    });
    expect(outcome.status).toBe("paid");
    const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } });
    return { userId, payment };
  }

  it("REFUND-1: a partial admin refund is booked once (charge.refunded agrees), a later refund made at Stripe's dashboard is recorded from the webhook and ends the plan", async () => {
    const now = at("2027-07-01T00:00:00Z");
    const { userId, payment } = await paidSubscriber(now);
    const admin = await makeUser(t.db, now);
    const before = await liveSub(t.db, userId);

    await refundPayment(deps(at("2027-07-02T00:00:00Z")), {
      paymentId: payment.id,
      amountMinor: 500n,
      reason: "service outage",
      actorId: admin,
    });
    const [first] = (await recordedEvents(local, ["charge.refunded"])).filter(
      (e) => (e.data.object as Stripe.Charge).payment_intent === payment.providerPaymentId,
    );
    expect((await postWebhook(signed(first))).body.outcome).toBe("stored");
    expect(
      await t.db.refund.findMany({
        where: { paymentId: payment.id },
        select: { amountMinor: true, status: true, actorId: true },
      }),
    ).toEqual([{ amountMinor: 500n, status: "succeeded", actorId: admin }]);
    // 500 of 1500 paid: a third of the period comes off its end, and the plan will not renew.
    const shortened = await liveSub(t.db, userId);
    expect(shortened.periodEnd.getTime()).toBe(
      before.periodEnd.getTime() - Math.ceil((before.periodEnd.getTime() - before.periodStart.getTime()) / 3000) * 1000,
    );
    expect(shortened).toMatchObject({ autoRenew: false, periodPaidMinor: 1000n });

    // The rest refunded from Stripe's dashboard, not through CodePlan.
    await local.stripe.refunds.create({ payment_intent: payment.providerPaymentId!, amount: 1000 });
    const second = (await recordedEvents(local, ["charge.refunded"]))
      .filter((e) => (e.data.object as Stripe.Charge).payment_intent === payment.providerPaymentId)
      .at(-1)!;
    const answers = await Promise.all([postWebhook(signed(second)), postWebhook(signed(second))]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const refunds = await t.db.refund.findMany({ where: { paymentId: payment.id }, orderBy: { amountMinor: "asc" } });
    expect(refunds.map((r) => [r.amountMinor, r.actorId === null ? "processor" : "admin"])).toEqual([
      [500n, "admin"],
      [1000n, "processor"],
    ]);
    expect(await t.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ refundedMinor: 1500n });
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: before.id } })).toMatchObject({
      status: "expired",
    });
    expect(await t.db.auditLog.count({ where: { action: "payment.refund", subjectId: payment.id } })).toBe(2);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("REFUND-1: a refund beyond what is left, or without a reason, is refused and changes nothing", async () => {
    const now = at("2027-07-03T00:00:00Z");
    const { payment } = await paidSubscriber(now, "lite");
    const admin = await makeUser(t.db, now);
    await expect(
      refundPayment(deps(now), { paymentId: payment.id, amountMinor: 301n, reason: "too much", actorId: admin }),
    ).rejects.toMatchObject({ code: "refund_exceeds_payment" });
    await expect(
      refundPayment(deps(now), { paymentId: payment.id, amountMinor: 100n, reason: "  ", actorId: admin }),
    ).rejects.toMatchObject({ code: "refund_reason_required" });
    await expect(
      refundPayment(deps(now), { paymentId: payment.id, amountMinor: 0n, reason: "zero", actorId: admin }),
    ).rejects.toMatchObject({ code: "refund_amount_invalid" });
    expect(await t.db.refund.count({ where: { paymentId: payment.id } })).toBe(0);
    expect(await t.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ refundedMinor: 0n });
  });

  it("REFUND-1: two admins refunding the rest at once refund it once", async () => {
    const now = at("2027-07-04T00:00:00Z");
    const { payment } = await paidSubscriber(now, "lite");
    const admin = await makeUser(t.db, now);
    const results = await Promise.allSettled(
      [1, 2].map((n) =>
        refundPayment(deps(now), {
          paymentId: payment.id,
          amountMinor: 300n,
          reason: `double click ${n}`,
          actorId: admin,
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await t.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ refundedMinor: 300n });
    expect(await t.db.refund.count({ where: { paymentId: payment.id, status: "succeeded" } })).toBe(1);
  });

  it("dispute: charge.dispute.created suspends the plan and raises an admin flag; closing it won restores the plan", async () => {
    const now = at("2027-07-05T00:00:00Z");
    const { userId, payment } = await paidSubscriber(now);
    const dispute = await local.stripe.rawRequest("POST", "/v1/test_helpers/disputes", {
      payment_intent: payment.providerPaymentId!,
    });
    const disputeId = (dispute as unknown as { id: string }).id;
    const created = (await recordedEvents(local, ["charge.dispute.created"])).find(
      (e) => (e.data.object as Stripe.Dispute).id === disputeId,
    )!;
    expect((await postWebhook(signed(created))).body.outcome).toBe("stored");
    expect(await liveSub(t.db, userId)).toMatchObject({ status: "suspended" });
    const flag = await t.db.adminFlag.findFirstOrThrow({ where: { kind: "dispute", userId } });
    expect(flag).toMatchObject({
      state: "open",
      evidence: expect.objectContaining({ dispute: disputeId, amountMinor: "1500", currency: "USD" }),
    });

    await local.stripe.rawRequest("POST", `/v1/test_helpers/disputes/${disputeId}/close`, { outcome: "won" });
    const closed = (await recordedEvents(local, ["charge.dispute.closed"])).find(
      (e) => (e.data.object as Stripe.Dispute).id === disputeId,
    )!;
    expect((await postWebhook(signed(closed))).body.outcome).toBe("stored");
    expect(await liveSub(t.db, userId)).toMatchObject({ status: "active" });
    expect(await t.db.adminFlag.findUniqueOrThrow({ where: { id: flag.id } })).toMatchObject({ state: "resolved" });
  });

  it("dispute, PAY-2: a lost dispute's close arriving before its open ends the plan once, books the money back, and the late open changes nothing", async () => {
    const now = at("2027-07-06T00:00:00Z");
    const { userId, payment } = await paidSubscriber(now);
    const sub = await liveSub(t.db, userId);
    const dispute = (await local.stripe.rawRequest("POST", "/v1/test_helpers/disputes", {
      payment_intent: payment.providerPaymentId!,
    })) as unknown as { id: string };
    await local.stripe.rawRequest("POST", `/v1/test_helpers/disputes/${dispute.id}/close`, { outcome: "lost" });
    const events = (await recordedEvents(local, ["charge.dispute.created", "charge.dispute.closed"])).filter(
      (e) => (e.data.object as Stripe.Dispute).id === dispute.id,
    );
    for (const e of [...events].reverse()) expect((await postWebhook(signed(e))).status).toBe(200);

    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({ status: "expired" });
    expect(await t.db.dispute.findUniqueOrThrow({ where: { providerDisputeId: dispute.id } })).toMatchObject({
      status: "lost",
    });
    expect(await t.db.ledgerTransaction.count({ where: { kind: "dispute_lost", invoiceId: payment.invoiceId } })).toBe(
      1,
    );
    expect(await t.db.adminFlag.findFirstOrThrow({ where: { kind: "dispute", userId } })).toMatchObject({
      state: "resolved",
    });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });
});
