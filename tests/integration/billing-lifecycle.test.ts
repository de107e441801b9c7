import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  BillingError,
  cancelSubscription,
  dueSubscriptionIds,
  loadCatalog,
  renewSubscription,
  resumeSubscription,
  retryOverdueRenewals,
  schedulePlanChange,
  stockStatus,
  subscribe,
  upgrade,
} from "../../lib/billing";
import { createDb } from "../../lib/db/client";
import type { PaymentPort } from "../../lib/payments";
import { noProcessor } from "../../lib/payments/no-processor";
import {
  at,
  balanceMismatches,
  billingState,
  giveCredits,
  linesOf,
  liveSub,
  makeUser,
  refusal,
  spyPort,
  versionId,
  wallet,
} from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();

type Tier = "lite" | "pro" | "max";
type Cycle = "monthly" | "quarterly" | "yearly";

/** A new user subscribed to tier/cycle at `start`, paid with `port`. */
async function subscriber(
  start: Date,
  tier: Tier,
  cycle: Cycle,
  port: PaymentPort,
  opts: { region?: "intl" | "cn" } = {},
) {
  const userId = await makeUser(t.db, start, opts);
  const outcome = await subscribe({ db: t.db, now: start, port }, { userId, tier, cycle, requestId: "first" });
  expect(outcome.status).toBe("paid");
  return { userId, sub: await liveSub(t.db, userId) };
}

describe("cancel and resume", () => {
  it("SUB-3: a cancel at exactly renewal − 24 h is accepted; the period stays valid and the subscription expires at its end", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-02-10T12:00:00Z"), "pro", "monthly", pay.port);
    expect(sub.periodEnd).toEqual(at("2027-03-10T12:00:00Z"));
    const cutoff = at("2027-03-09T12:00:00Z");

    const canceled = await cancelSubscription({ db: t.db, now: cutoff, port: pay.port }, userId);
    expect(canceled).toMatchObject({
      autoRenew: false,
      canceledAt: cutoff,
      status: "active",
      periodEnd: at("2027-03-10T12:00:00Z"),
    });

    // Still valid up to the end; nothing renews before it.
    expect(await renewSubscription({ db: t.db, now: at("2027-03-10T11:59:59Z"), port: pay.port }, sub.id)).toBe(
      "not_due",
    );
    expect((await liveSub(t.db, userId)).status).toBe("active");

    const chargesBefore = pay.charges.size;
    expect(await renewSubscription({ db: t.db, now: at("2027-03-10T12:00:00Z"), port: pay.port }, sub.id)).toBe(
      "expired",
    );
    const ended = await t.db.subscription.findUniqueOrThrow({ where: { id: sub.id } });
    expect(ended).toMatchObject({ status: "expired", endedAt: at("2027-03-10T12:00:00Z") });
    expect(await t.db.invoice.count({ where: { userId, kind: "renewal" } })).toBe(0);
    expect(pay.charges.size).toBe(chargesBefore);
  });

  it("SUB-7: cancelling and expiring pay nothing out: unused time is never refunded, no money moves", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-02-10T12:00:00Z"), "pro", "monthly", pay.port);
    const ledgerBefore = await t.db.ledgerTransaction.count({ where: { userId } });
    const walletBefore = await wallet(t.db, userId);
    await cancelSubscription({ db: t.db, now: at("2027-02-11T12:00:00Z"), port: pay.port }, userId);
    expect(await renewSubscription({ db: t.db, now: at("2027-03-10T12:00:00Z"), port: pay.port }, sub.id)).toBe(
      "expired",
    );
    expect(await t.db.ledgerTransaction.count({ where: { userId } })).toBe(ledgerBefore);
    expect(await wallet(t.db, userId)).toEqual(walletBefore);
    expect(await t.db.invoice.count({ where: { userId, NOT: { kind: "subscribe" } } })).toBe(0);
  });

  it("SUB-3: a cancel 1 s inside the cutoff is refused inside_cutoff naming the cutoff instant, and that renewal goes ahead", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-02-10T12:00:00Z"), "pro", "monthly", pay.port);
    const now = at("2027-03-09T12:00:01Z");
    const before = await billingState(t.db, userId, now);

    const err = await refusal(cancelSubscription({ db: t.db, now, port: pay.port }, userId));
    expect(err.code).toBe("inside_cutoff");
    expect(err.params).toEqual({ cutoffAt: "2027-03-09T12:00:00.000Z" });
    expect(await billingState(t.db, userId, now)).toEqual(before);

    expect(await renewSubscription({ db: t.db, now: at("2027-03-10T12:00:00Z"), port: pay.port }, sub.id)).toBe(
      "renewed",
    );
    const renewed = await liveSub(t.db, userId);
    expect(renewed).toMatchObject({
      id: sub.id,
      autoRenew: true,
      periodStart: at("2027-03-10T12:00:00Z"),
      periodEnd: at("2027-04-10T12:00:00Z"),
      periodPaidMinor: 3000n,
    });
  });

  it("SUB-3: cn region — the cutoff is 3 days before the renewal", async () => {
    const pay = fakePayments();
    // 2027-02-10 12:00 in Asia/Shanghai.
    const { userId, sub } = await subscriber(at("2027-02-10T04:00:00Z"), "lite", "monthly", pay.port, { region: "cn" });
    expect(sub).toMatchObject({
      currency: "CNY",
      region: "cn",
      periodEnd: at("2027-03-10T04:00:00Z"),
      periodPaidMinor: 2000n,
    });
    const err = await refusal(
      cancelSubscription({ db: t.db, now: at("2027-03-07T04:00:01Z"), port: pay.port }, userId),
    );
    expect(err.code).toBe("inside_cutoff");
    expect(err.params.cutoffAt).toBe("2027-03-07T04:00:00.000Z");
    const ok = await cancelSubscription({ db: t.db, now: at("2027-03-07T04:00:00Z"), port: pay.port }, userId);
    expect(ok.autoRenew).toBe(false);
  });

  it("SUB-3: resume before the period ends turns renewal back on, and the subscription renews", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-02-10T12:00:00Z"), "lite", "monthly", pay.port);
    const deps = (iso: string) => ({ db: t.db, now: at(iso), port: pay.port });

    expect((await refusal(resumeSubscription(deps("2027-02-12T00:00:00Z"), userId))).code).toBe("not_canceled");
    await cancelSubscription(deps("2027-02-12T00:00:00Z"), userId);
    expect((await refusal(cancelSubscription(deps("2027-02-13T00:00:00Z"), userId))).code).toBe("already_canceled");

    const resumed = await resumeSubscription(deps("2027-03-10T11:59:59Z"), userId);
    expect(resumed).toMatchObject({ autoRenew: true, canceledAt: null, status: "active" });
    expect(await renewSubscription(deps("2027-03-10T12:00:00Z"), sub.id)).toBe("renewed");
    expect((await liveSub(t.db, userId)).periodEnd).toEqual(at("2027-04-10T12:00:00Z"));
  });

  it("SUB-4: an upgrade after the period ended but before the renewal job ran is refused renewal_pending, changing nothing", async () => {
    const pay = fakePayments();
    const { userId } = await subscriber(at("2027-02-10T12:00:00Z"), "lite", "monthly", pay.port);
    const now = at("2027-03-10T12:00:00Z");
    const before = await billingState(t.db, userId, now);
    const err = await refusal(
      upgrade({ db: t.db, now, port: pay.port }, { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() }),
    );
    expect(err.code).toBe("renewal_pending");
    expect(await billingState(t.db, userId, now)).toEqual(before);
  });

  it("SUB-3: resume at or after the period end is refused; the cancelled subscription then expires", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-02-10T12:00:00Z"), "lite", "monthly", pay.port);
    await cancelSubscription({ db: t.db, now: at("2027-02-11T00:00:00Z"), port: pay.port }, userId);
    const err = await refusal(
      resumeSubscription({ db: t.db, now: at("2027-03-10T12:00:00Z"), port: pay.port }, userId),
    );
    expect(err.code).toBe("period_ended");
    expect((await liveSub(t.db, userId)).autoRenew).toBe(false);
    expect(await renewSubscription({ db: t.db, now: at("2027-03-10T12:00:00Z"), port: pay.port }, sub.id)).toBe(
      "expired",
    );
  });
});

describe("scheduled changes", () => {
  it("SUB-5: a scheduled downgrade can be seen, replaced by another and withdrawn; the plan stays until then", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-06-01T00:00:00Z"), "max", "monthly", pay.port);
    const deps = { db: t.db, now: at("2027-06-05T00:00:00Z"), port: pay.port };

    expect(await schedulePlanChange(deps, { userId, tier: "pro", cycle: "monthly" })).toMatchObject({
      tier: "max",
      cycle: "monthly",
      scheduledTier: "pro",
      scheduledCycle: "monthly",
      periodEnd: sub.periodEnd,
    });
    // Only one change: a new one replaces it.
    expect(await schedulePlanChange(deps, { userId, tier: "lite", cycle: "yearly" })).toMatchObject({
      scheduledTier: "lite",
      scheduledCycle: "yearly",
    });
    expect(await liveSub(t.db, userId)).toMatchObject({ tier: "max", scheduledTier: "lite", scheduledCycle: "yearly" });
    // Withdraw clears it.
    expect(await schedulePlanChange(deps, { userId, withdraw: true })).toMatchObject({
      tier: "max",
      scheduledTier: null,
      scheduledCycle: null,
    });
    // Asking for the current plan clears it too.
    await schedulePlanChange(deps, { userId, tier: "pro", cycle: "monthly" });
    expect(await schedulePlanChange(deps, { userId, tier: "max", cycle: "monthly" })).toMatchObject({
      scheduledTier: null,
      scheduledCycle: null,
    });
    expect(await t.db.invoice.count({ where: { userId } })).toBe(1);
  });

  it("SUB-5: an upgrade through schedulePlanChange is refused upgrade_is_immediate and changes nothing", async () => {
    const pay = fakePayments();
    const { userId } = await subscriber(at("2027-06-01T00:00:00Z"), "pro", "monthly", pay.port);
    const deps = { db: t.db, now: at("2027-06-05T00:00:00Z"), port: pay.port };
    await schedulePlanChange(deps, { userId, tier: "lite", cycle: "monthly" });
    const before = await billingState(t.db, userId, deps.now);

    expect((await refusal(schedulePlanChange(deps, { userId, tier: "max", cycle: "monthly" }))).code).toBe(
      "upgrade_is_immediate",
    );
    expect((await refusal(schedulePlanChange(deps, { userId, tier: "max", cycle: "yearly" }))).code).toBe(
      "upgrade_is_immediate",
    );
    expect(await billingState(t.db, userId, deps.now)).toEqual(before);
    expect(before.subscriptions[0]).toMatchObject({ tier: "pro", scheduledTier: "lite", scheduledCycle: "monthly" });
  });

  it("SUB-5: a scheduled downgrade applies at the renewal — the invoice is for the new tier and the tier changes at period end, not before", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-06-01T00:00:00Z"), "max", "monthly", pay.port);
    await schedulePlanChange(
      { db: t.db, now: at("2027-06-10T00:00:00Z"), port: pay.port },
      { userId, tier: "lite", cycle: "monthly" },
    );

    expect(await renewSubscription({ db: t.db, now: at("2027-06-30T23:59:59Z"), port: pay.port }, sub.id)).toBe(
      "not_due",
    );
    expect(await liveSub(t.db, userId)).toMatchObject({
      tier: "max",
      scheduledTier: "lite",
      periodEnd: at("2027-07-01T00:00:00Z"),
    });

    expect(await renewSubscription({ db: t.db, now: at("2027-07-01T00:00:00Z"), port: pay.port }, sub.id)).toBe(
      "renewed",
    );
    const invoice = await t.db.invoice.findFirstOrThrow({ where: { userId, kind: "renewal" } });
    expect(invoice).toMatchObject({
      tier: "lite",
      cycle: "monthly",
      planVersionId: await versionId(t.db, "lite", 2),
      totalMinor: 600n,
      status: "paid",
      periodStart: at("2027-07-01T00:00:00Z"),
      periodEnd: at("2027-08-01T00:00:00Z"),
    });
    expect(await linesOf(t.db, invoice.id)).toEqual({ plan: 600n, card_charged: -600n });
    expect(await liveSub(t.db, userId)).toMatchObject({
      tier: "lite",
      cycle: "monthly",
      scheduledTier: null,
      scheduledCycle: null,
      periodStart: at("2027-07-01T00:00:00Z"),
      periodEnd: at("2027-08-01T00:00:00Z"),
      periodPaidMinor: 600n,
    });
  });

  it("SUB-5: a scheduled cycle change (Pro monthly → Pro yearly) applies at the renewal at the yearly price", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-06-15T08:00:00Z"), "pro", "monthly", pay.port);
    const scheduled = await schedulePlanChange(
      { db: t.db, now: at("2027-06-20T00:00:00Z"), port: pay.port },
      { userId, tier: "pro", cycle: "yearly" },
    );
    expect(scheduled).toMatchObject({ cycle: "monthly", scheduledTier: "pro", scheduledCycle: "yearly" });

    expect(await renewSubscription({ db: t.db, now: at("2027-07-15T07:59:59Z"), port: pay.port }, sub.id)).toBe(
      "not_due",
    );
    expect((await liveSub(t.db, userId)).cycle).toBe("monthly");
    expect(await renewSubscription({ db: t.db, now: at("2027-07-15T08:00:00Z"), port: pay.port }, sub.id)).toBe(
      "renewed",
    );
    const invoice = await t.db.invoice.findFirstOrThrow({ where: { userId, kind: "renewal" } });
    expect(invoice).toMatchObject({
      tier: "pro",
      cycle: "yearly",
      totalMinor: 28800n,
      periodEnd: at("2028-07-15T08:00:00Z"),
    });
    expect(await liveSub(t.db, userId)).toMatchObject({
      cycle: "yearly",
      periodStart: at("2027-07-15T08:00:00Z"),
      periodEnd: at("2028-07-15T08:00:00Z"),
      periodPaidMinor: 28800n,
      scheduledCycle: null,
    });
  });
});

describe("renewal", () => {
  it("SUB-2: renewing the same period twice makes one invoice and one off-session charge keyed renewal:<id>:<periodEnd>", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-08-01T00:00:00Z"), "pro", "monthly", pay.port);
    const spy = spyPort(pay.port);
    const now = at("2027-09-01T00:00:00Z");

    expect(await renewSubscription({ db: t.db, now, port: spy.port }, sub.id)).toBe("renewed");
    expect(await renewSubscription({ db: t.db, now, port: spy.port }, sub.id)).toBe("not_due");

    const key = `renewal:${sub.id}:2027-09-01T00:00:00.000Z`;
    const invoices = await t.db.invoice.findMany({ where: { userId, kind: "renewal" } });
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ idempotencyKey: key, totalMinor: 3000n, cardMinor: 3000n, status: "paid" });
    expect(spy.calls.map((c) => [c.method, c.req.idempotencyKey, c.req.amountMinor])).toEqual([
      ["chargeOffSession", key, 3000n],
    ]);
    expect([...pay.charges.keys()].filter((k) => k.startsWith("renewal:"))).toEqual([key]);
    const payment = await t.db.payment.findUniqueOrThrow({ where: { idempotencyKey: key } });
    expect(payment).toMatchObject({ status: "succeeded", amountMinor: 3000n, invoiceId: invoices[0].id });
  });

  it("SUB-2: two renewal workers racing on the same subscriptions renew each once, with one charge, and neither worker fails", async () => {
    const pay = fakePayments();
    const subs: string[] = [];
    for (let i = 0; i < 6; i++)
      subs.push((await subscriber(at("2027-08-02T00:00:00Z"), "lite", "monthly", pay.port)).sub.id);
    const now = at("2027-09-02T00:00:00Z");
    const c1 = createDb(t.url);
    const c2 = createDb(t.url);
    const outcomes: string[][] = [];
    try {
      for (const id of subs) {
        const r = await Promise.allSettled([
          renewSubscription({ db: c1, now, port: pay.port }, id),
          renewSubscription({ db: c2, now, port: pay.port }, id),
        ]);
        outcomes.push(
          r.map((x) => (x.status === "fulfilled" ? x.value : `rejected: ${String(x.reason).split("\n").pop()}`)).sort(),
        );
      }
    } finally {
      await Promise.all([c1.$disconnect(), c2.$disconnect()]);
    }
    for (const id of subs) {
      const key = `renewal:${id}:2027-09-02T00:00:00.000Z`;
      expect(await t.db.invoice.count({ where: { subscriptionId: id, kind: "renewal" } })).toBe(1);
      expect((await t.db.invoice.findUniqueOrThrow({ where: { idempotencyKey: key } })).status).toBe("paid");
      expect(pay.charges.get(key)?.req.amountMinor).toBe(600n);
      expect((await t.db.subscription.findUniqueOrThrow({ where: { id } })).periodEnd).toEqual(
        at("2027-10-02T00:00:00Z"),
      );
    }
    expect(await balanceMismatches(t.db)).toEqual([]);
    // Each worker either renews or finds the work done; none throws.
    const allowed = ["not_due,renewed", "renewed,renewed"];
    expect(outcomes.filter((o) => !allowed.includes(o.join(",")))).toEqual([]);
  });

  it("SUB-2: a subscription is not due before its period end", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-08-03T00:00:00Z"), "lite", "monthly", pay.port);
    const justBefore = at("2027-09-02T23:59:59.999Z");
    expect(await dueSubscriptionIds({ db: t.db, now: justBefore })).not.toContain(sub.id);
    expect(await renewSubscription({ db: t.db, now: justBefore, port: pay.port }, sub.id)).toBe("not_due");
    expect(await t.db.invoice.count({ where: { userId, kind: "renewal" } })).toBe(0);
    expect(await dueSubscriptionIds({ db: t.db, now: at("2027-09-03T00:00:00Z") })).toContain(sub.id);
  });

  it("SUB-2: with the wallet short and no card, the renewal goes past due, is retried after 1, 3 and 5 days, then lapses and gives the wallet part back", async () => {
    const start = at("2027-08-04T00:00:00Z");
    const userId = await makeUser(t.db, start);
    await giveCredits(t.db, userId, 300n + 100n, start);
    await subscribe(
      { db: t.db, now: start, port: noProcessor },
      { userId, tier: "lite", cycle: "monthly", requestId: "r" },
    );
    const sub = await liveSub(t.db, userId);
    const due = sub.periodEnd;
    const day = (n: number) => new Date(due.getTime() + n * 86_400_000);

    expect(await renewSubscription({ db: t.db, now: due, port: noProcessor }, sub.id)).toBe("past_due");
    const invoice = await t.db.invoice.findFirstOrThrow({ where: { userId, kind: "renewal" } });
    expect(invoice).toMatchObject({ status: "open", attempts: 1, nextAttemptAt: day(1), cardMinor: 500n });
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({ status: "past_due" });

    // Not yet due: nothing is retried.
    expect((await retryOverdueRenewals({ db: t.db, now: day(0.5), port: noProcessor }, [invoice.id])).size).toBe(0);
    for (const [n, next] of [
      [1, day(3)],
      [3, day(5)],
    ] as const) {
      await retryOverdueRenewals({ db: t.db, now: day(n), port: noProcessor }, [invoice.id]);
      expect(await t.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
        status: "open",
        nextAttemptAt: next,
      });
    }
    await retryOverdueRenewals({ db: t.db, now: day(5), port: noProcessor }, [invoice.id]);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "void",
      attempts: 4,
      nextAttemptAt: null,
    });
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({
      status: "expired",
      endedAt: due,
    });
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 100n, cashMinor: 0n });
    const notices = await t.db.notice.findMany({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: { kind: true },
    });
    expect(notices.map((n) => n.kind)).toEqual([
      "renewal_failed",
      "renewal_failed",
      "renewal_failed",
      "subscription_lapsed",
    ]);
    expect(await t.db.payment.count({ where: { invoiceId: invoice.id } })).toBe(4);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("SUB-2: a renewal the wallet covers needs no payment processor", async () => {
    const start = at("2027-08-05T00:00:00Z");
    const userId = await makeUser(t.db, start);
    await giveCredits(t.db, userId, 300n + 650n, start);
    await subscribe(
      { db: t.db, now: start, port: noProcessor },
      { userId, tier: "lite", cycle: "monthly", requestId: "r" },
    );
    const sub = await liveSub(t.db, userId);
    expect(await renewSubscription({ db: t.db, now: sub.periodEnd, port: noProcessor }, sub.id)).toBe("renewed");
    const invoice = await t.db.invoice.findFirstOrThrow({ where: { userId, kind: "renewal" } });
    expect(await linesOf(t.db, invoice.id)).toEqual({ plan: 600n, credits_applied: -600n });
    expect(await t.db.payment.count({ where: { invoiceId: invoice.id } })).toBe(0);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 50n, cashMinor: 0n });
  });

  it("SUB-2: a declined renewal charge puts the plan past due; the first retry, under its own key, succeeds and restores it", async () => {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(at("2027-08-06T00:00:00Z"), "pro", "monthly", pay.port);
    await giveCredits(t.db, userId, 1000n, at("2027-08-20T00:00:00Z"));
    pay.willFail();
    const now = at("2027-09-06T00:00:00Z");

    expect(await renewSubscription({ db: t.db, now, port: pay.port }, sub.id)).toBe("past_due");

    const key = `renewal:${sub.id}:2027-09-06T00:00:00.000Z`;
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { idempotencyKey: key } });
    expect(invoice).toMatchObject({
      status: "open",
      totalMinor: 3000n,
      cardMinor: 2000n,
      attempts: 1,
      nextAttemptAt: at("2027-09-07T00:00:00Z"),
    });
    expect(await linesOf(t.db, invoice.id)).toEqual({ plan: 3000n, credits_applied: -1000n, card_charged: -2000n });
    expect(await t.db.payment.findUniqueOrThrow({ where: { idempotencyKey: key } })).toMatchObject({
      status: "failed",
      failureCode: "card_declined",
      offSession: true,
    });
    // The sweep does not charge a renewal in dunning again; only the retry schedule does.
    expect(await renewSubscription({ db: t.db, now: at("2027-09-06T01:00:00Z"), port: pay.port }, sub.id)).toBe(
      "not_due",
    );

    pay.willSucceed();
    await retryOverdueRenewals({ db: t.db, now: at("2027-09-07T00:00:00Z"), port: pay.port }, [invoice.id]);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: "paid",
      nextAttemptAt: null,
    });
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({
      status: "active",
      periodEnd: at("2027-10-06T00:00:00Z"),
    });
    expect([...pay.charges.keys()].filter((k) => k.startsWith("renewal:"))).toEqual([key, `${key}:retry-1`]);
    expect(await t.db.notice.findFirst({ where: { userId, kind: "subscription_restored" } })).not.toBeNull();
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });
});

describe("grandfathering", () => {
  /** A Pro monthly subscriber moved onto the version-1 plan (as if they had subscribed before version 2). */
  async function v1ProSubscriber(start: Date) {
    const pay = fakePayments();
    const { userId, sub } = await subscriber(start, "pro", "monthly", pay.port);
    const v1 = await versionId(t.db, "pro", 1);
    await t.db.subscription.update({ where: { id: sub.id }, data: { planVersionId: v1, periodPaidMinor: 1500n } });
    return { pay, userId, sub, v1 };
  }

  it("PLAN-2: a version-1 subscriber renews at the version-1 price and stays on version 1, renewal after renewal", async () => {
    const { pay, userId, sub, v1 } = await v1ProSubscriber(at("2027-10-01T00:00:00Z"));
    for (const end of ["2027-11-01T00:00:00Z", "2027-12-01T00:00:00Z"]) {
      expect(await renewSubscription({ db: t.db, now: at(end), port: pay.port }, sub.id)).toBe("renewed");
      const invoice = await t.db.invoice.findUniqueOrThrow({
        where: { idempotencyKey: `renewal:${sub.id}:${at(end).toISOString()}` },
      });
      expect(invoice).toMatchObject({ planVersionId: v1, tier: "pro", totalMinor: 1500n });
      expect(await liveSub(t.db, userId)).toMatchObject({
        planVersionId: v1,
        periodPaidMinor: 1500n,
        periodStart: at(end),
      });
    }
  });

  it("PLAN-2: a scheduled downgrade moves a version-1 subscriber to the current version at the renewal", async () => {
    const { pay, userId, sub } = await v1ProSubscriber(at("2027-10-02T00:00:00Z"));
    await schedulePlanChange(
      { db: t.db, now: at("2027-10-10T00:00:00Z"), port: pay.port },
      { userId, tier: "lite", cycle: "monthly" },
    );
    expect(await renewSubscription({ db: t.db, now: at("2027-11-02T00:00:00Z"), port: pay.port }, sub.id)).toBe(
      "renewed",
    );
    const liteV2 = await versionId(t.db, "lite", 2);
    expect(await t.db.invoice.findFirstOrThrow({ where: { userId, kind: "renewal" } })).toMatchObject({
      planVersionId: liteV2,
      totalMinor: 600n,
    });
    expect(await liveSub(t.db, userId)).toMatchObject({ tier: "lite", planVersionId: liteV2 });
  });

  it("PLAN-2: an upgrade moves a version-1 subscriber to the current version (unused value from the v1 price)", async () => {
    const { pay, userId } = await v1ProSubscriber(at("2027-10-01T00:00:00Z"));
    // Half of the 31-day period left: unused = 1500 / 2 = 750.
    const outcome = await upgrade(
      { db: t.db, now: at("2027-10-16T12:00:00Z"), port: pay.port },
      { userId, tier: "max", cycle: "monthly", requestId: randomUUID() },
    );
    expect(outcome.status).toBe("paid");
    const maxV2 = await versionId(t.db, "max", 2);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      planVersionId: maxV2,
      totalMinor: 5250n,
    });
    expect(await linesOf(t.db, outcome.invoiceId)).toEqual({
      plan: 6000n,
      proration_credit: -750n,
      card_charged: -5250n,
    });
    expect(await liveSub(t.db, userId)).toMatchObject({ tier: "max", planVersionId: maxV2, periodPaidMinor: 6000n });
  });
});

describe("daily stock", () => {
  // 2027-06-01 11:00 in Asia/Shanghai: the stock day began at 10:00 (02:00 UTC).
  const now = at("2027-06-01T03:00:00Z");
  const dayStart = at("2027-06-01T02:00:00Z");

  it("SUB-8: with one unit left, two buyers in parallel — exactly one gets it, the other is refused sold_out with the next release", async () => {
    await t.db.stockDay.create({ data: { tier: "pro", dayStart, capacity: 1, sold: 0 } });
    const buyers = [await makeUser(t.db, now), await makeUser(t.db, now)];
    for (const u of buyers) await giveCredits(t.db, u, 1500n, now);
    const c1 = createDb(t.url);
    const c2 = createDb(t.url);
    let results: PromiseSettledResult<unknown>[];
    try {
      results = await Promise.allSettled([
        subscribe(
          { db: c1, now, port: noProcessor },
          { userId: buyers[0], tier: "pro", cycle: "monthly", requestId: "r" },
        ),
        subscribe(
          { db: c2, now, port: noProcessor },
          { userId: buyers[1], tier: "pro", cycle: "monthly", requestId: "r" },
        ),
      ]);
    } finally {
      await Promise.all([c1.$disconnect(), c2.$disconnect()]);
    }
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    const err = rejected[0].reason as BillingError;
    expect(err).toBeInstanceOf(BillingError);
    expect(err.code).toBe("sold_out");
    expect(err.params).toEqual({ nextRelease: "2027-06-02T02:00:00.000Z" });

    const loser = buyers[results.indexOf(rejected[0])];
    expect(await t.db.invoice.count({ where: { userId: loser } })).toBe(0);
    expect(await t.db.subscription.count({ where: { userId: loser } })).toBe(0);
    expect(await wallet(t.db, loser)).toEqual({ creditsMinor: 1500n, cashMinor: 0n });
    expect(
      await t.db.stockDay.findUniqueOrThrow({ where: { tier_dayStart: { tier: "pro", dayStart } } }),
    ).toMatchObject({ capacity: 1, sold: 1 });
    const status = await stockStatus(t.db, now, (await loadCatalog(t.db)).stock);
    expect(status.tiers.find((s) => s.tier === "pro")).toEqual({ tier: "pro", capacity: 1, sold: 1, remaining: 0 });
  });

  it("SUB-8: the stock day runs 10:00 to 10:00 Asia/Shanghai and unsold units do not roll over", async () => {
    await t.db.stockDay.upsert({
      where: { tier_dayStart: { tier: "max", dayStart } },
      create: { tier: "max", dayStart, capacity: 0, sold: 0 },
      update: { capacity: 0 },
    });
    const u = await makeUser(t.db, now);
    await giveCredits(t.db, u, 3000n, now);
    // 09:59:59 Shanghai on the next day still belongs to this stock day.
    const err = await refusal(
      subscribe(
        { db: t.db, now: at("2027-06-02T01:59:59Z"), port: noProcessor },
        { userId: u, tier: "max", cycle: "monthly", requestId: "a" },
      ),
    );
    expect(err.code).toBe("sold_out");
    expect(err.params.nextRelease).toBe("2027-06-02T02:00:00.000Z");
    // At 10:00 a new day's stock is released at the configured count (500), not 500 + leftovers.
    const nextDay = at("2027-06-02T02:00:00Z");
    const ok = await subscribe(
      { db: t.db, now: nextDay, port: noProcessor },
      { userId: u, tier: "max", cycle: "monthly", requestId: "b" },
    );
    expect(ok.status).toBe("paid");
    const status = await stockStatus(t.db, nextDay, (await loadCatalog(t.db)).stock);
    expect(status.dayStart).toEqual(nextDay);
    expect(status.tiers.find((s) => s.tier === "max")).toEqual({ tier: "max", capacity: 500, sold: 1, remaining: 499 });
  });

  it("SUB-8: renewals and upgrades still succeed when the tier is sold out", async () => {
    const pay = fakePayments();
    const start = at("2027-06-10T03:00:00Z");
    const { userId: proUser, sub: proSub } = await subscriber(start, "pro", "monthly", pay.port);
    const { userId: liteUser } = await subscriber(at("2027-06-20T03:00:00Z"), "lite", "monthly", pay.port);
    // Renewal day 2027-07-10 11:00 Shanghai: Pro is sold out.
    const renewalDay = at("2027-07-10T03:00:00Z");
    await t.db.stockDay.create({ data: { tier: "pro", dayStart: at("2027-07-10T02:00:00Z"), capacity: 0, sold: 0 } });
    const newcomer = await makeUser(t.db, renewalDay);
    expect(
      (
        await refusal(
          subscribe(
            { db: t.db, now: renewalDay, port: pay.port },
            { userId: newcomer, tier: "pro", cycle: "monthly", requestId: "r" },
          ),
        )
      ).code,
    ).toBe("sold_out");

    expect(await renewSubscription({ db: t.db, now: renewalDay, port: pay.port }, proSub.id)).toBe("renewed");
    expect((await liveSub(t.db, proUser)).periodEnd).toEqual(at("2027-08-10T03:00:00Z"));

    const up = await upgrade(
      { db: t.db, now: at("2027-07-10T03:00:00Z"), port: pay.port },
      { userId: liteUser, tier: "pro", cycle: "monthly", requestId: randomUUID() },
    );
    expect(up.status).toBe("paid");
    expect((await liveSub(t.db, liteUser)).tier).toBe("pro");
    expect(
      await t.db.stockDay.findUniqueOrThrow({
        where: { tier_dayStart: { tier: "pro", dayStart: at("2027-07-10T02:00:00Z") } },
      }),
    ).toMatchObject({ sold: 0 });
  });
});
