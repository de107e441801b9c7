import { describe, expect, it } from "vitest";
import { expireAbandonedPayments, subscribe } from "../../lib/billing";
import { listenForPaymentEvents } from "../../lib/jobs/payment-events";
import { runHousekeeping } from "../../lib/jobs/housekeeping";
import { drainEvents, receiveStripeEvent } from "../../lib/payments/webhooks";
import { storeEvent, wakeWorker } from "../../lib/payments/webhooks/store";
import { at, liveSub, makeUser } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();

/** A subscription waiting on 3-D Secure, and the payment_intent.succeeded event that would settle it. */
async function pendingSubscription(now: Date, eventId: string) {
  const userId = await makeUser(t.db, now);
  const pay = fakePayments();
  pay.willRequireAction();
  const outcome = await subscribe(
    { db: t.db, now, port: pay.port },
    { userId, tier: "lite", cycle: "monthly", requestId: "r" },
  );
  expect(outcome.status).toBe("requires_action");
  const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } });
  const event = {
    id: eventId,
    object: "event",
    type: "payment_intent.succeeded",
    data: {
      object: {
        id: payment.providerPaymentId,
        object: "payment_intent",
        status: "succeeded",
        metadata: { payment_key: payment.idempotencyKey },
      },
    },
  };
  return { userId, pay, outcome, event };
}

describe("processing stored payment events (PAY-2)", () => {
  it("PAY-2: one bad event fails alone; the rest of its batch goes through, and only the sweep tries the bad one again", async () => {
    const now = at("2027-08-01T00:00:00Z");
    const good = await pendingSubscription(now, "evt_good_1");
    const deps = async () => ({ db: t.db, now, port: good.pay.port });
    // A dispute event whose amount is not a number: its handler throws.
    const bad = {
      id: "evt_bad_1",
      object: "event",
      type: "charge.dispute.created",
      data: {
        object: {
          id: "du_1",
          object: "dispute",
          payment_intent: "pi_x",
          amount: "lots",
          currency: "usd",
          reason: "fraudulent",
          status: "needs_response",
        },
      },
    };
    const goodDispute = {
      ...bad,
      id: "evt_good_2",
      data: { object: { ...bad.data.object, id: "du_2", amount: 100, payment_intent: "pi_unknown" } },
    };
    for (const e of [good.event, bad, goodDispute])
      expect(await storeEvent(t.db, "fake", { id: e.id, type: e.type, json: JSON.stringify(e) })).toBe(true);

    const outcomes = await drainEvents(deps);
    expect(Object.fromEntries(outcomes)).toEqual({
      evt_good_1: "processed",
      evt_bad_1: "failed",
      evt_good_2: "processed",
    });
    expect(await liveSub(t.db, good.userId)).toMatchObject({ status: "active" });
    expect(await t.db.paymentEvent.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: expect.stringContaining("SyntaxError"),
    });

    // A webhook's drain leaves the failed event alone; so does the sweep until its backoff has passed.
    expect((await drainEvents(deps)).size).toBe(0);
    expect((await drainEvents(deps, { kind: "sweep", ageSeconds: 0 })).size).toBe(0);
    await t.db
      .$executeRaw`UPDATE "payment_events" SET "locked_until" = now() - interval '1 second' WHERE "id" = ${bad.id}`;
    expect(Object.fromEntries(await drainEvents(deps, { kind: "sweep", ageSeconds: 0 }))).toEqual({
      evt_bad_1: "failed",
    });
    expect(await t.db.paymentEvent.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({ attempts: 2 });
  });

  it("PAY-2: an event stored but never finished (a crash mid-handler) is taken over by the worker's sweep once its lease runs out", async () => {
    const now = at("2027-08-03T00:00:00Z");
    const { userId, pay, outcome, event } = await pendingSubscription(now, "evt_crashed_1");
    // As if a handler claimed it and died: processing, its lease run out, received a minute ago.
    await t.db.paymentEvent.create({
      data: {
        id: event.id,
        provider: "fake",
        type: event.type,
        payload: event,
        status: "processing",
        attempts: 1,
        lockedUntil: new Date(Date.now() - 1000),
        receivedAt: new Date(Date.now() - 60_000),
      },
    });
    const chores = await runHousekeeping({ db: t.db, now, port: pay.port });
    expect(chores.events).toBe(1);
    expect(await t.db.paymentEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({
      status: "processed",
      attempts: 2,
    });
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "paid",
    });
    expect(await liveSub(t.db, userId)).toMatchObject({ tier: "lite", status: "active" });
    // A redelivery of the finished event changes nothing.
    expect(
      await receiveStripeEvent(t.db, async () => ({ db: t.db, now, port: pay.port }), "fake", event as never),
    ).toBe("duplicate");
  });

  it("PAY-2: the job worker's listener processes an event as soon as it is stored", async () => {
    const now = at("2027-08-02T00:00:00Z");
    const pending = await pendingSubscription(now, "evt_listened_1");
    const listener = listenForPaymentEvents(
      t.url,
      async () => ({ db: t.db, now, port: pending.pay.port }),
      () => {},
    );
    try {
      // Give the listener its connection, then store as the webhook route does.
      await expect
        .poll(
          async () =>
            (
              await t.db.$queryRaw<
                { n: bigint }[]
              >`SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN%'`
            )[0].n,
          { timeout: 5000 },
        )
        .toBe(1n);
      await storeEvent(t.db, "fake", {
        id: pending.event.id,
        type: pending.event.type,
        json: JSON.stringify(pending.event),
      });
      wakeWorker(t.db);
      await expect
        .poll(async () => (await t.db.paymentEvent.findUniqueOrThrow({ where: { id: pending.event.id } })).status, {
          timeout: 5000,
        })
        .toBe("processed");
      expect(await liveSub(t.db, pending.userId)).toMatchObject({ status: "active" });
    } finally {
      await listener.stop();
    }
  });

  it("PAY-1: an order left at 3-D Secure for 30 minutes is given up: invoice void, stock back, and the customer can order again", async () => {
    const now = at("2027-08-04T00:00:00Z");
    const { userId, pay, outcome } = await pendingSubscription(now, "evt_unused");
    const deps = (at: Date) => ({ db: t.db, now: at, port: pay.port });
    const soldBefore = await t.db.stockDay.aggregate({ _sum: { sold: true }, where: { tier: "lite" } });
    // Ordering again meanwhile is refused with the reason.
    await expect(
      subscribe(deps(now), { userId, tier: "lite", cycle: "monthly", requestId: "r2" }),
    ).rejects.toMatchObject({ code: "payment_pending" });

    expect(await expireAbandonedPayments(deps(new Date(now.getTime() + 29 * 60_000)))).toBe(0);
    expect(await expireAbandonedPayments(deps(new Date(now.getTime() + 31 * 60_000)))).toBe(1);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "void",
    });
    expect(await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } })).toMatchObject({
      status: "failed",
      failureCode: "abandoned",
    });
    const soldAfter = await t.db.stockDay.aggregate({ _sum: { sold: true }, where: { tier: "lite" } });
    expect(soldAfter._sum.sold).toBe((soldBefore._sum.sold ?? 0) - 1);

    pay.willSucceed();
    expect(
      (
        await subscribe(deps(new Date(now.getTime() + 32 * 60_000)), {
          userId,
          tier: "lite",
          cycle: "monthly",
          requestId: "r3",
        })
      ).status,
    ).toBe("paid");
  });
});
