import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  BillingError,
  cancelSubscription,
  dueSubscriptionIds,
  renewSubscription,
  subscribe,
  upgrade,
} from "../../lib/billing";
import type { Db } from "../../lib/db";
import { createDb } from "../../lib/db/client";
import type { PaymentPort } from "../../lib/payments";
import { noProcessor } from "../../lib/payments/no-processor";
import {
  at,
  balanceMismatches,
  billingState,
  gatedPort,
  giveCredits,
  linesOf,
  liveSub,
  makeUser,
  refusal,
  unbalancedTransactions,
  versionId,
  wallet,
} from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();

/** A user on Lite monthly from `start`, paid 300 (first order) with the given port. */
async function liteSubscriber(start: Date, port: PaymentPort, db: Db = t.db) {
  const userId = await makeUser(db, start);
  const outcome = await subscribe(
    { db, now: start, port },
    { userId, tier: "lite", cycle: "monthly", requestId: "first" },
  );
  expect(outcome.status).toBe("paid");
  return { userId, sub: await liveSub(db, userId) };
}

type Settled<T> = { status: "fulfilled"; value: T } | { status: "rejected"; reason: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (value) => ({ status: "fulfilled" as const, value }),
    (reason) => ({ status: "rejected" as const, reason }),
  );

describe("upgrade", () => {
  it("SUB-4: worked example — Lite monthly paid 300 on 04-01, Pro monthly on 04-11 → credit 200, charge 2800, new period 04-11 → 05-11", async () => {
    const pay = fakePayments();
    const { userId, sub } = await liteSubscriber(at("2027-04-01T00:00:00Z"), pay.port);
    expect(sub.periodPaidMinor).toBe(300n);
    expect(sub.periodEnd).toEqual(at("2027-05-01T00:00:00Z"));

    const now = at("2027-04-11T00:00:00Z");
    const outcome = await upgrade(
      { db: t.db, now, port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() },
    );

    expect(outcome.status).toBe("paid");
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } });
    expect(invoice).toMatchObject({
      kind: "upgrade",
      status: "paid",
      subscriptionId: sub.id,
      tier: "pro",
      cycle: "monthly",
      totalMinor: 2800n,
      cardMinor: 2800n,
      periodStart: now,
      periodEnd: at("2027-05-11T00:00:00Z"),
    });
    const lines = await linesOf(t.db, invoice.id);
    expect(lines).toEqual({ plan: 3000n, proration_credit: -200n, card_charged: -2800n });
    // Unused value applied + charge = the new price.
    expect(-lines.proration_credit + invoice.totalMinor).toBe(3000n);
    expect(pay.charges.get(`invoice:${invoice.id}`)?.req.amountMinor).toBe(2800n);

    expect(await liveSub(t.db, userId)).toMatchObject({
      id: sub.id,
      tier: "pro",
      cycle: "monthly",
      planVersionId: await versionId(t.db, "pro", 2),
      status: "active",
      cycleAnchor: now,
      periodIndex: 1,
      periodStart: now,
      periodEnd: at("2027-05-11T00:00:00Z"),
      periodPaidMinor: 3000n,
      orderedAt: at("2027-04-01T00:00:00Z"),
    });
  });

  it("SUB-4: unused value is rounded up to the minor unit — paid 1000, 1/3 of the period left → 334", async () => {
    const pay = fakePayments();
    const { userId, sub } = await liteSubscriber(at("2027-04-01T00:00:00Z"), pay.port);
    // Make the period's value 10.00 (as if paid at a list price of 10.00).
    await t.db.subscription.update({ where: { id: sub.id }, data: { periodPaidMinor: 1000n } });
    const outcome = await upgrade(
      { db: t.db, now: at("2027-04-21T00:00:00Z"), port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() },
    );
    expect(await linesOf(t.db, outcome.invoiceId)).toEqual({
      plan: 3000n,
      proration_credit: -334n,
      card_charged: -2666n,
    });
  });

  it("SUB-6: an upgrade never stacks time — the old period end (05-01) is gone and nothing renews there", async () => {
    const pay = fakePayments();
    const { userId, sub } = await liteSubscriber(at("2027-04-01T00:00:00Z"), pay.port);
    await upgrade(
      { db: t.db, now: at("2027-04-11T00:00:00Z"), port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() },
    );

    const subs = await t.db.subscription.findMany({ where: { userId } });
    expect(subs).toHaveLength(1);
    expect(subs[0].periodEnd).toEqual(at("2027-05-11T00:00:00Z"));

    const oldEnd = at("2027-05-01T00:00:00Z");
    expect(await dueSubscriptionIds({ db: t.db, now: oldEnd })).not.toContain(sub.id);
    expect(await renewSubscription({ db: t.db, now: oldEnd, port: pay.port }, sub.id)).toBe("not_due");
    expect(await t.db.invoice.count({ where: { userId, kind: "renewal" } })).toBe(0);

    // The next renewal is at the new period's end, at the Pro price, for one month.
    expect(await renewSubscription({ db: t.db, now: at("2027-05-11T00:00:00Z"), port: pay.port }, sub.id)).toBe(
      "renewed",
    );
    const renewal = await t.db.invoice.findFirstOrThrow({ where: { userId, kind: "renewal" } });
    expect(renewal).toMatchObject({
      totalMinor: 3000n,
      periodStart: at("2027-05-11T00:00:00Z"),
      periodEnd: at("2027-06-11T00:00:00Z"),
    });
  });

  it("SUB-4: unused value above the new price goes to the cash balance (Lite yearly 5760 → Pro monthly 3000)", async () => {
    const pay = fakePayments();
    // A first subscription uses up the first-order discount; it then expires.
    const { userId, sub: first } = await liteSubscriber(at("2026-11-01T00:00:00Z"), pay.port);
    await cancelSubscription({ db: t.db, now: at("2026-11-02T00:00:00Z"), port: pay.port }, userId);
    expect(await renewSubscription({ db: t.db, now: first.periodEnd, port: pay.port }, first.id)).toBe("expired");

    const start = at("2027-01-01T00:00:00Z");
    const bought = await subscribe(
      { db: t.db, now: start, port: pay.port },
      { userId, tier: "lite", cycle: "yearly", requestId: "yearly" },
    );
    expect(await linesOf(t.db, bought.invoiceId)).toEqual({ plan: 5760n, card_charged: -5760n });
    expect((await liveSub(t.db, userId)).periodEnd).toEqual(at("2028-01-01T00:00:00Z"));

    // 10 days in: 355 of 365 days left → ceil(5760 × 355 / 365) = 5603.
    const now = at("2027-01-11T00:00:00Z");
    const outcome = await upgrade(
      { db: t.db, now, port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() },
    );

    expect(outcome.status).toBe("paid");
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } });
    expect(invoice).toMatchObject({ totalMinor: 0n, cardMinor: 0n, status: "paid" });
    const lines = await linesOf(t.db, invoice.id);
    expect(lines).toEqual({ plan: 3000n, proration_credit: -5603n, excess_to_cash: 2603n });
    // Credit applied (unused − excess) + charge = price.
    expect(-lines.proration_credit - lines.excess_to_cash + invoice.totalMinor).toBe(3000n);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 2603n });
    expect(await liveSub(t.db, userId)).toMatchObject({
      tier: "pro",
      cycle: "monthly",
      periodStart: now,
      periodEnd: at("2027-02-11T00:00:00Z"),
      periodPaidMinor: 3000n,
    });
    // No card charge for the upgrade.
    expect(pay.charges.has(`invoice:${invoice.id}`)).toBe(false);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("SUB-4: same_plan and not_an_upgrade (a downgrade or a cycle change through upgrade) are refused and change nothing", async () => {
    const pay = fakePayments();
    const start = at("2027-04-01T00:00:00Z");
    const userId = await makeUser(t.db, start);
    await subscribe(
      { db: t.db, now: start, port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: "r" },
    );
    await giveCredits(t.db, userId, 10_000n, start);
    const now = at("2027-04-11T00:00:00Z");
    const deps = { db: t.db, now, port: pay.port };
    const before = await billingState(t.db, userId, now);
    const chargesBefore = pay.charges.size;

    expect(
      (await refusal(upgrade(deps, { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() }))).code,
    ).toBe("same_plan");
    expect(
      (await refusal(upgrade(deps, { userId, tier: "lite", cycle: "monthly", requestId: randomUUID() }))).code,
    ).toBe("not_an_upgrade");
    expect(
      (await refusal(upgrade(deps, { userId, tier: "lite", cycle: "yearly", requestId: randomUUID() }))).code,
    ).toBe("not_an_upgrade");
    expect((await refusal(upgrade(deps, { userId, tier: "pro", cycle: "yearly", requestId: randomUUID() }))).code).toBe(
      "not_an_upgrade",
    );

    expect(await billingState(t.db, userId, now)).toEqual(before);
    expect(before.wallet).toEqual({ creditsMinor: 10_000n, cashMinor: 0n });
    expect(pay.charges.size).toBe(chargesBefore);
  });

  it("SUB-4: an upgrade the wallet cannot cover with no payment processor is refused insufficient_funds and changes nothing", async () => {
    const { userId } = await liteSubscriber(at("2027-04-01T00:00:00Z"), fakePayments().port);
    const now = at("2027-04-11T00:00:00Z");
    await giveCredits(t.db, userId, 2799n, now);
    const before = await billingState(t.db, userId, now);
    const err = await refusal(
      upgrade({ db: t.db, now, port: noProcessor }, { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() }),
    );
    expect(err.code).toBe("insufficient_funds");
    expect(await billingState(t.db, userId, now)).toEqual(before);
    // 2800 exactly is enough: paid from credits, no card needed.
    await giveCredits(t.db, userId, 1n, now);
    const ok = await upgrade(
      { db: t.db, now, port: noProcessor },
      { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() },
    );
    expect(await linesOf(t.db, ok.invoiceId)).toEqual({
      plan: 3000n,
      proration_credit: -200n,
      credits_applied: -2800n,
    });
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
  });

  it("SUB-4: two simultaneous upgrades end with exactly one success", async () => {
    const start = at("2027-04-01T00:00:00Z");
    const userId = await makeUser(t.db, start);
    await giveCredits(t.db, userId, 300n + 2800n, start);
    await subscribe(
      { db: t.db, now: start, port: noProcessor },
      { userId, tier: "lite", cycle: "monthly", requestId: "r" },
    );
    const now = at("2027-04-11T00:00:00Z");
    const c1 = createDb(t.url);
    const c2 = createDb(t.url);
    let results: PromiseSettledResult<unknown>[];
    try {
      results = await Promise.allSettled([
        upgrade({ db: c1, now, port: noProcessor }, { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() }),
        upgrade({ db: c2, now, port: noProcessor }, { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() }),
      ]);
    } finally {
      await Promise.all([c1.$disconnect(), c2.$disconnect()]);
    }
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(BillingError);
    expect((rejected[0].reason as BillingError).code).toBe("same_plan");

    expect(await t.db.invoice.count({ where: { userId, kind: "upgrade" } })).toBe(1);
    expect((await liveSub(t.db, userId)).tier).toBe("pro");
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
    expect(await t.db.auditLog.count({ where: { action: "subscription.upgrade", actorId: userId } })).toBe(1);
    expect(await balanceMismatches(t.db)).toEqual([]);
    expect(await unbalancedTransactions(t.db)).toEqual([]);
  });

  it("SUB-4: two simultaneous card-paid upgrades (the first one's charge in flight) end with exactly one success and one charge", async () => {
    const pay = fakePayments();
    const { userId } = await liteSubscriber(at("2027-04-01T00:00:00Z"), pay.port);
    const chargesBefore = pay.charges.size;
    const now = at("2027-04-11T00:00:00Z");
    const gate = gatedPort(pay.port);
    const c1 = createDb(t.url);
    const c2 = createDb(t.url);
    let results: Settled<unknown>[];
    try {
      const a = settle(
        upgrade({ db: c1, now, port: gate.port }, { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() }),
      );
      await gate.arrived(1); // the first upgrade's card charge is at the processor
      const b = settle(
        upgrade({ db: c2, now, port: gate.port }, { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() }),
      );
      await Promise.race([b, gate.arrived(2)]);
      gate.release();
      results = await Promise.all([a, b]);
    } finally {
      await Promise.all([c1.$disconnect(), c2.$disconnect()]);
    }
    // Money: one upgrade invoice, one charge, consistent balances.
    expect(await t.db.invoice.count({ where: { userId, kind: "upgrade" } })).toBe(1);
    expect(pay.charges.size - chargesBefore).toBe(1);
    expect((await liveSub(t.db, userId)).tier).toBe("pro");
    expect(await balanceMismatches(t.db)).toEqual([]);
    // Outcome: exactly one caller is told it upgraded; the other is refused.
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect((results[1] as { reason: unknown }).reason).toBeInstanceOf(BillingError);
  });

  it("SUB-4: while a Pro upgrade waits for 3-D Secure, an upgrade to Max is not answered with the Pro invoice", async () => {
    const pay = fakePayments();
    const { userId } = await liteSubscriber(at("2027-04-01T00:00:00Z"), pay.port);
    const now = at("2027-04-11T00:00:00Z");
    pay.willRequireAction();
    const pro = await upgrade(
      { db: t.db, now, port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() },
    );
    expect(pro.status).toBe("requires_action");
    pay.willSucceed();

    const answer = await upgrade(
      { db: t.db, now: at("2027-04-11T00:05:00Z"), port: pay.port },
      { userId, tier: "max", cycle: "monthly", requestId: randomUUID() },
    ).then(
      async (o) => `invoice for ${(await t.db.invoice.findUniqueOrThrow({ where: { id: o.invoiceId } })).tier}`,
      (e) => (e instanceof BillingError ? `refused ${e.code}` : Promise.reject(e)),
    );
    // Either a refusal or an invoice for what was asked (Max) — never the pending Pro invoice.
    expect(answer).toMatch(/^refused |^invoice for max$/);
  });

  it("SUB-4: after a declined card, the subscriber can try the upgrade again and pay", async () => {
    const pay = fakePayments();
    const { userId, sub } = await liteSubscriber(at("2027-04-01T00:00:00Z"), pay.port);
    const now = at("2027-04-11T00:00:00Z");
    await giveCredits(t.db, userId, 800n, now);
    pay.willFail();
    const failed = await upgrade(
      { db: t.db, now, port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() },
    );
    expect(failed).toMatchObject({ status: "failed", code: "card_declined" });
    expect((await t.db.invoice.findUniqueOrThrow({ where: { id: failed.invoiceId } })).status).toBe("void");
    // The wallet part went back and the plan is unchanged.
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 800n, cashMinor: 0n });
    expect(await liveSub(t.db, userId)).toMatchObject({ tier: "lite", periodEnd: sub.periodEnd });

    pay.willSucceed();
    const retry = await upgrade(
      { db: t.db, now: at("2027-04-11T00:10:00Z"), port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() },
    ).catch((e) => (e instanceof BillingError ? { status: `refused ${e.code}` } : Promise.reject(e)));
    expect(retry.status).toBe("paid");
    expect((await liveSub(t.db, userId)).tier).toBe("pro");
  });
});
