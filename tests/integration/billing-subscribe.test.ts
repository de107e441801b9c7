import { describe, expect, it } from "vitest";
import {
  BillingError,
  cancelSubscription,
  loadCatalog,
  renewSubscription,
  stockStatus,
  subscribe,
} from "../../lib/billing";
import { createDb } from "../../lib/db/client";
import { noProcessor } from "../../lib/payments/no-processor";
import {
  at,
  balanceMismatches,
  billingState,
  giveCash,
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

describe("subscribe", () => {
  it("SUB-1: subscribe starts at once, ends one month later, invoice lines plan / first_order_discount / credits_applied", async () => {
    const now = at("2027-03-10T12:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 2000n, now);

    const outcome = await subscribe(
      { db: t.db, now, port: noProcessor },
      { userId, tier: "pro", cycle: "monthly", requestId: "r1" },
    );

    expect(outcome.status).toBe("paid");
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } });
    expect(invoice).toMatchObject({
      kind: "subscribe",
      status: "paid",
      totalMinor: 1500n,
      cardMinor: 0n,
      currency: "USD",
      paidAt: now,
    });
    expect(await linesOf(t.db, invoice.id)).toEqual({
      plan: 3000n,
      first_order_discount: -1500n,
      credits_applied: -1500n,
    });

    const sub = await liveSub(t.db, userId);
    expect(sub).toMatchObject({
      tier: "pro",
      cycle: "monthly",
      status: "active",
      autoRenew: true,
      planVersionId: await versionId(t.db, "pro", 2),
      orderedAt: now,
      cycleAnchor: now,
      periodIndex: 1,
      periodStart: now,
      periodEnd: at("2027-04-10T12:00:00Z"),
      periodPaidMinor: 1500n,
    });
    expect(invoice.subscriptionId).toBe(sub.id);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 500n, cashMinor: 0n });
  });

  it("SUB-1: a month-end order clamps to the month's last day and later renewals keep the anchor day", async () => {
    const now = at("2027-01-31T10:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 300n + 600n + 600n, now);
    const deps = { db: t.db, port: noProcessor };

    await subscribe({ ...deps, now }, { userId, tier: "lite", cycle: "monthly", requestId: "r1" });
    const sub = await liveSub(t.db, userId);
    expect(sub.periodEnd).toEqual(at("2027-02-28T10:00:00Z"));

    expect(await renewSubscription({ ...deps, now: at("2027-02-28T10:00:00Z") }, sub.id)).toBe("renewed");
    expect((await liveSub(t.db, userId)).periodEnd).toEqual(at("2027-03-31T10:00:00Z"));
    expect(await renewSubscription({ ...deps, now: at("2027-03-31T10:00:00Z") }, sub.id)).toBe("renewed");
    const after = await liveSub(t.db, userId);
    expect(after.periodEnd).toEqual(at("2027-04-30T10:00:00Z"));
    expect(after.cycleAnchor).toEqual(now);
    expect(after.periodIndex).toBe(3);

    // Leap year: 2028-01-31 → 2028-02-29.
    const leapUser = await makeUser(t.db, now);
    await giveCredits(t.db, leapUser, 300n, now);
    await subscribe(
      { ...deps, now: at("2028-01-31T10:00:00Z") },
      { userId: leapUser, tier: "lite", cycle: "monthly", requestId: "r1" },
    );
    expect((await liveSub(t.db, leapUser)).periodEnd).toEqual(at("2028-02-29T10:00:00Z"));
  });

  it("SUB-1: cn region — CNY prices and calendar arithmetic on the Asia/Shanghai wall clock", async () => {
    // 2027-01-29 00:30 in Shanghai (still Jan 28 in UTC): one month later is Feb 28 00:30 Shanghai (clamped from Feb 29).
    const now = at("2027-01-28T16:30:00Z");
    const userId = await makeUser(t.db, now, { region: "cn" });
    await giveCredits(t.db, userId, 2000n, now, "CNY");
    const outcome = await subscribe(
      { db: t.db, now, port: noProcessor },
      { userId, tier: "lite", cycle: "monthly", requestId: "r" },
    );
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      currency: "CNY",
      totalMinor: 2000n,
    });
    expect(await linesOf(t.db, outcome.invoiceId)).toEqual({
      plan: 4000n,
      first_order_discount: -2000n,
      credits_applied: -2000n,
    });
    expect(await liveSub(t.db, userId)).toMatchObject({
      region: "cn",
      currency: "CNY",
      periodEnd: at("2027-02-27T16:30:00Z"),
    });
    expect(await wallet(t.db, userId, "CNY")).toEqual({ creditsMinor: 0n, cashMinor: 0n });
  });

  it("SUB-1: the first-order discount applies only once — a second subscription after expiry pays full price", async () => {
    const t0 = at("2027-05-01T00:00:00Z");
    const userId = await makeUser(t.db, t0);
    await giveCredits(t.db, userId, 300n + 600n, t0);
    const deps = { db: t.db, port: noProcessor };

    const first = await subscribe({ ...deps, now: t0 }, { userId, tier: "lite", cycle: "monthly", requestId: "first" });
    expect(await linesOf(t.db, first.invoiceId)).toEqual({
      plan: 600n,
      first_order_discount: -300n,
      credits_applied: -300n,
    });

    const sub = await liveSub(t.db, userId);
    await cancelSubscription({ ...deps, now: at("2027-05-02T00:00:00Z") }, userId);
    expect(await renewSubscription({ ...deps, now: sub.periodEnd }, sub.id)).toBe("expired");

    const later = at("2027-06-05T00:00:00Z");
    const second = await subscribe(
      { ...deps, now: later },
      { userId, tier: "lite", cycle: "monthly", requestId: "second" },
    );
    expect(second.status).toBe("paid");
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { id: second.invoiceId } });
    expect(invoice.totalMinor).toBe(600n);
    expect(await linesOf(t.db, second.invoiceId)).toEqual({ plan: 600n, credits_applied: -600n });
    const again = await liveSub(t.db, userId);
    expect(again.id).not.toBe(sub.id);
    expect(again.periodPaidMinor).toBe(600n);
    expect(again.periodEnd).toEqual(at("2027-07-05T00:00:00Z"));
  });

  it("SUB-1: a declined first order does not use up the first-order discount", async () => {
    const now = at("2027-05-03T00:00:00Z");
    const userId = await makeUser(t.db, now);
    const pay = fakePayments();
    pay.willFail();
    const failed = await subscribe(
      { db: t.db, now, port: pay.port },
      { userId, tier: "lite", cycle: "monthly", requestId: "a" },
    );
    expect(failed.status).toBe("failed");
    pay.willSucceed();
    const ok = await subscribe(
      { db: t.db, now, port: pay.port },
      { userId, tier: "lite", cycle: "monthly", requestId: "b" },
    );
    expect(ok.status).toBe("paid");
    expect(await linesOf(t.db, ok.invoiceId)).toEqual({ plan: 600n, first_order_discount: -300n, card_charged: -300n });
  });

  it("SUB-9/SUB-6: a second subscribe replaces the plan on the same subscription row (one subscription at a time)", async () => {
    const now = at("2027-03-11T08:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 10_000n, now);
    const deps = { db: t.db, now, port: noProcessor };
    await subscribe(deps, { userId, tier: "lite", cycle: "monthly", requestId: "one" });
    const first = await t.db.subscription.findMany({ where: { userId } });

    expect((await subscribe(deps, { userId, tier: "max", cycle: "monthly", requestId: "two" })).status).toBe("paid");
    const after = await t.db.subscription.findMany({ where: { userId } });
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: first[0].id, tier: "max" });
  });

  it("SUB-9: the database's unique index refuses a raw second live subscription row (an expired one is allowed)", async () => {
    const now = at("2027-03-12T08:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 300n, now);
    await subscribe({ db: t.db, now, port: noProcessor }, { userId, tier: "lite", cycle: "monthly", requestId: "one" });
    const pv = await versionId(t.db, "pro", 2);
    const end = at("2027-04-12T08:00:00Z");
    const insert = (status: string) => t.db.$executeRaw`
      INSERT INTO "subscriptions" ("id", "user_id", "region", "currency", "tier", "cycle", "plan_version_id", "status", "auto_renew",
        "ordered_at", "cycle_anchor", "period_index", "period_start", "period_end", "period_paid_minor", "created_at", "updated_at")
      VALUES (gen_random_uuid(), ${userId}::uuid, 'intl', 'USD', 'pro', 'monthly', ${pv}::uuid, ${status}::"SubscriptionStatus", true,
        ${now}, ${now}, 1, ${now}, ${end}, 3000, ${now}, ${now})`;

    await expect(insert("active")).rejects.toThrow(/subscriptions_one_live_per_user|unique/i);
    await expect(insert("past_due")).rejects.toThrow(/subscriptions_one_live_per_user|unique/i);
    expect(await t.db.subscription.count({ where: { userId, status: { not: "expired" } } })).toBe(1);
    // The index is partial: history rows (expired) do not count.
    expect(await insert("expired")).toBe(1);
  });

  it("WALLET-1: worked example through a Pro monthly renewal — credits 1000 + cash 1980 on 3000 → card 50, cash ends at 30", async () => {
    const t0 = at("2027-03-01T00:00:00Z");
    const userId = await makeUser(t.db, t0);
    await giveCredits(t.db, userId, 1500n, t0);
    await subscribe(
      { db: t.db, now: t0, port: noProcessor },
      { userId, tier: "pro", cycle: "monthly", requestId: "r" },
    );
    const sub = await liveSub(t.db, userId);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });

    const pay = fakePayments();
    await giveCredits(t.db, userId, 1000n, at("2027-03-20T00:00:00Z"));
    await giveCash(t.db, pay.port, userId, 1980n, at("2027-03-20T00:00:00Z"));
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 1000n, cashMinor: 1980n });

    const renewAt = at("2027-04-01T00:00:00Z");
    expect(sub.periodEnd).toEqual(renewAt);
    const spy = spyPort(pay.port);
    expect(await renewSubscription({ db: t.db, now: renewAt, port: spy.port }, sub.id)).toBe("renewed");

    const key = `renewal:${sub.id}:2027-04-01T00:00:00.000Z`;
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { idempotencyKey: key } });
    expect(invoice).toMatchObject({ kind: "renewal", status: "paid", totalMinor: 3000n, cardMinor: 50n });
    expect(await linesOf(t.db, invoice.id)).toEqual({
      plan: 3000n,
      credits_applied: -1000n,
      cash_applied: -1980n,
      card_charged: -50n,
      excess_to_cash: 30n,
    });
    expect(spy.calls.map((c) => [c.method, c.req.idempotencyKey, c.req.amountMinor])).toEqual([
      ["chargeOffSession", key, 50n],
    ]);
    expect(pay.charges.get(key)?.req.amountMinor).toBe(50n);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 30n });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("WALLET-1: credits are used before cash, cash before the card", async () => {
    const now = at("2027-03-13T00:00:00Z");
    const userId = await makeUser(t.db, now);
    const pay = fakePayments();
    await giveCredits(t.db, userId, 400n, now);
    await giveCash(t.db, pay.port, userId, 700n, now);
    const outcome = await subscribe(
      { db: t.db, now, port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: "r" },
    );
    expect(outcome.status).toBe("paid");
    expect(await linesOf(t.db, outcome.invoiceId)).toEqual({
      plan: 3000n,
      first_order_discount: -1500n,
      credits_applied: -400n,
      cash_applied: -700n,
      card_charged: -400n,
    });
    expect(pay.charges.get(`invoice:${outcome.invoiceId}`)?.req.amountMinor).toBe(400n);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
  });

  it("WALLET-1: a short wallet with no payment processor is refused insufficient_funds and changes nothing (no invoice, balances, stock)", async () => {
    const now = at("2027-03-14T03:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 100n, now);
    const before = await billingState(t.db, userId, now);

    const err = await refusal(
      subscribe({ db: t.db, now, port: noProcessor }, { userId, tier: "pro", cycle: "monthly", requestId: "r" }),
    );
    expect(err).toBeInstanceOf(BillingError);
    expect(err.code).toBe("insufficient_funds");

    const after = await billingState(t.db, userId, now);
    expect(after).toEqual(before);
    expect(after.invoices).toEqual([]);
    expect(after.subscriptions).toEqual([]);
    expect(after.wallet).toEqual({ creditsMinor: 100n, cashMinor: 0n });
    expect(after.stock.find((s) => s.tier === "pro")?.sold).toBe(0);
  });

  it("SUB-8: a declined card on subscribe gives the wallet part and the stock unit back", async () => {
    const now = at("2027-03-15T03:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 1000n, now);
    const catalog = await loadCatalog(t.db);
    const soldBefore = (await stockStatus(t.db, now, catalog.stock)).tiers.find((s) => s.tier === "max")!.sold;
    const pay = fakePayments();
    pay.willFail();

    const outcome = await subscribe(
      { db: t.db, now, port: pay.port },
      { userId, tier: "max", cycle: "monthly", requestId: "r" },
    );

    expect(outcome).toMatchObject({ status: "failed", code: "card_declined" });
    expect((await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).status).toBe("void");
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 1000n, cashMinor: 0n });
    expect(await t.db.subscription.count({ where: { userId } })).toBe(0);
    // Nothing was sold, so the unit is still on sale.
    expect((await stockStatus(t.db, now, catalog.stock)).tiers.find((s) => s.tier === "max")!.sold).toBe(soldBefore);
  });

  it("SUB-1: a replayed subscribe with the same requestId creates one invoice and charges once", async () => {
    const now = at("2027-03-16T03:00:00Z");
    const userId = await makeUser(t.db, now);
    const pay = fakePayments();
    const catalog = await loadCatalog(t.db);
    const soldBefore = (await stockStatus(t.db, now, catalog.stock)).tiers.find((s) => s.tier === "lite")!.sold;
    const deps = { db: t.db, now, port: pay.port };

    const a = await subscribe(deps, { userId, tier: "lite", cycle: "monthly", requestId: "same" });
    const b = await subscribe(deps, { userId, tier: "lite", cycle: "monthly", requestId: "same" });

    expect(a).toEqual({ status: "paid", invoiceId: a.invoiceId });
    expect(b).toEqual(a);
    expect(await t.db.invoice.count({ where: { userId } })).toBe(1);
    expect(await t.db.subscription.count({ where: { userId } })).toBe(1);
    expect(pay.charges.size).toBe(1);
    expect(await t.db.payment.count({ where: { invoiceId: a.invoiceId } })).toBe(1);
    expect((await stockStatus(t.db, now, catalog.stock)).tiers.find((s) => s.tier === "lite")!.sold).toBe(
      soldBefore + 1,
    );
  });

  it("SUB-1: a double submit fired in parallel (same requestId, separate clients) buys once and both calls answer paid", async () => {
    // The race is in a small window, so it is tried for several users; every pair must behave.
    const now = at("2027-03-17T03:00:00Z");
    const pay = fakePayments();
    const c1 = createDb(t.url);
    const c2 = createDb(t.url);
    const outcomes: string[][] = [];
    const users: string[] = [];
    try {
      for (let i = 0; i < 8; i++) {
        const userId = await makeUser(t.db, now);
        users.push(userId);
        const results = await Promise.allSettled([
          subscribe({ db: c1, now, port: pay.port }, { userId, tier: "pro", cycle: "monthly", requestId: "dbl" }),
          subscribe({ db: c2, now, port: pay.port }, { userId, tier: "pro", cycle: "monthly", requestId: "dbl" }),
        ]);
        outcomes.push(
          results.map((r) =>
            r.status === "rejected" ? `rejected: ${String(r.reason).split("\n").pop()}` : r.value.status,
          ),
        );
      }
    } finally {
      await Promise.all([c1.$disconnect(), c2.$disconnect()]);
    }
    // Money and rows: one purchase per user, whatever the callers were told.
    for (const userId of users) {
      expect(await t.db.invoice.count({ where: { userId } })).toBe(1);
      expect(await t.db.subscription.count({ where: { userId } })).toBe(1);
      const invoice = await t.db.invoice.findFirstOrThrow({ where: { userId } });
      expect(invoice.status).toBe("paid");
      expect(await t.db.payment.count({ where: { invoiceId: invoice.id } })).toBe(1);
      expect(await t.db.ledgerTransaction.count({ where: { invoiceId: invoice.id } })).toBe(1);
    }
    expect(pay.charges.size).toBe(users.length);
    expect(await balanceMismatches(t.db)).toEqual([]);
    // A double submit is a replay: both submits get the same answer, neither an error.
    expect(outcomes).toEqual(users.map(() => ["paid", "paid"]));
  });
});
