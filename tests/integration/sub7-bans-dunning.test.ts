import { describe, expect, it } from "vitest";
import {
  cancelSubscription,
  dunningDueInvoiceIds,
  renewSubscription,
  retryOverdueRenewals,
  subscribe,
  type BillingDeps,
} from "../../lib/billing";
import { stopChargesOnBan } from "../../lib/billing/ban";
import type { PaymentPort } from "../../lib/payments";
import { PaymentUnavailableError } from "../../lib/payments/port";
import { policySettings } from "../../lib/policy/config";
import { recordViolation } from "../../lib/policy/violations";
import { reviewReferrals } from "../../lib/referrals/review";
import { at, balanceMismatches, giveCredits, liveSub, makeUser, wallet } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();
const H = 3_600_000;

/** A Pro monthly subscriber who paid by card at `start`, with the fake processor that holds every charge it was asked for. */
async function subscriber(start: Date) {
  const pay = fakePayments();
  const userId = await makeUser(t.db, start);
  expect(
    (
      await subscribe(
        { db: t.db, now: start, port: pay.port },
        { userId, tier: "pro", cycle: "monthly", requestId: "first" },
      )
    ).status,
  ).toBe("paid");
  const deps = (now: Date): BillingDeps => ({ db: t.db, now, port: pay.port });
  return { userId, pay, deps, sub: await liveSub(t.db, userId) };
}

/** Charges the processor was asked for after the first order. */
const laterCharges = (pay: ReturnType<typeof fakePayments>) =>
  [...pay.charges.keys()].filter((k) => k.startsWith("renewal:"));

/** Bans through POLICY-2: the `banAfter`-th violation. */
async function policyBan(userId: string, from: Date) {
  const settings = policySettings();
  let now = from;
  let outcome = "";
  for (let i = 0; i < settings.banAfter; i++) {
    outcome = await recordViolation(t.db, { userId, rule: "not_coding", evidence: { n: i }, now });
    now = new Date(now.getTime() + (settings.throttle.quietHours + 1) * H);
  }
  expect(outcome).toBe("banned");
  return now;
}

/** A past-due subscriber: the renewal's card charge was declined. */
async function pastDue(start: Date) {
  const s = await subscriber(start);
  s.pay.willFail();
  expect(await renewSubscription(s.deps(s.sub.periodEnd), s.sub.id)).toBe("past_due");
  const invoice = await t.db.invoice.findFirstOrThrow({ where: { subscriptionId: s.sub.id, kind: "renewal" } });
  s.pay.willSucceed();
  return { ...s, invoice };
}

describe("SUB-7: a banned account is never charged again", () => {
  it("SUB-7: a POLICY-2 ban turns auto-renewal off in the ban's transaction; at the renewal nothing is charged and the plan expires", async () => {
    const s = await subscriber(at("2027-06-01T00:00:00Z"));
    await policyBan(s.userId, at("2027-06-02T00:00:00Z"));
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: s.sub.id } })).toMatchObject({
      autoRenew: false,
      status: "active",
    });
    expect(
      await t.db.auditLog.findFirst({ where: { action: "subscription.cancel", subjectId: s.sub.id } }),
    ).toMatchObject({ after: { cause: "account_banned" } });

    expect(await renewSubscription(s.deps(s.sub.periodEnd), s.sub.id)).toBe("expired");
    expect(laterCharges(s.pay)).toEqual([]);
    expect(await t.db.invoice.count({ where: { subscriptionId: s.sub.id, kind: "renewal" } })).toBe(0);
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: s.sub.id } })).toMatchObject({
      status: "expired",
      endedAt: s.sub.periodEnd,
    });
  });

  it("SUB-7: a REF-5 referral-fraud ban turns auto-renewal off at once", async () => {
    const now = at("2027-06-03T00:00:00Z");
    const s = await subscriber(now);
    const friendId = await makeUser(t.db, now);
    const admin = await makeUser(t.db, now);
    const visit = await t.db.referralVisit.create({
      data: {
        inviterId: s.userId,
        via: "link",
        ip: "192.0.2.1",
        network: "192.0.2.0/24",
        device: "d",
        userAgent: "ua",
        at: now,
      },
    });
    const referral = await t.db.referral.create({
      data: {
        inviterId: s.userId,
        friendId,
        visitId: visit.id,
        via: "link",
        visitedAt: now,
        network: "192.0.2.0/24",
        device: "d",
        state: "signed_up",
        createdAt: now,
        updatedAt: now,
      },
    });
    expect(
      await reviewReferrals(t.db, "ban", { adminId: admin, referralIds: [referral.id], reason: "fake accounts", now }),
    ).toEqual({ ok: true, changed: 1 });
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: s.sub.id } })).toMatchObject({
      autoRenew: false,
      canceledAt: now,
    });
    expect(await renewSubscription(s.deps(s.sub.periodEnd), s.sub.id)).toBe("expired");
    expect(laterCharges(s.pay)).toEqual([]);
  });

  it("SUB-7: banned between the renewal being issued and its charge (the job failed and is retried): the retried job charges nothing and the plan ends", async () => {
    const s = await subscriber(at("2027-06-04T00:00:00Z"));
    await giveCredits(t.db, s.userId, 1000n, at("2027-06-10T00:00:00Z"));
    // The first run issues the renewal invoice (taking the credits), then the processor does not answer.
    const down: PaymentPort = {
      ...s.pay.port,
      chargeOffSession: async () => {
        throw new PaymentUnavailableError("processor_unreachable", "down");
      },
    };
    await expect(renewSubscription({ db: t.db, now: s.sub.periodEnd, port: down }, s.sub.id)).rejects.toBeInstanceOf(
      PaymentUnavailableError,
    );
    const invoice = await t.db.invoice.findFirstOrThrow({ where: { subscriptionId: s.sub.id, kind: "renewal" } });
    expect(invoice).toMatchObject({ status: "open", attempts: 0 });
    // Banned meanwhile, by any path: here straight in the database, auto-renewal left on (the job's own check must hold).
    await t.db.user.update({ where: { id: s.userId }, data: { status: "banned" } });

    const retryAt = new Date(s.sub.periodEnd.getTime() + 60_000);
    expect(await renewSubscription(s.deps(retryAt), s.sub.id)).toBe("lapsed");
    expect(laterCharges(s.pay)).toEqual([]);
    expect(await t.db.payment.count({ where: { invoiceId: invoice.id, status: { not: "pending" } } })).toBe(0);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({ status: "void" });
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: s.sub.id } })).toMatchObject({
      status: "expired",
      endedAt: s.sub.periodEnd,
    });
    // The credits the renewal had taken are back.
    expect(await wallet(t.db, s.userId)).toEqual({ creditsMinor: 1000n, cashMinor: 0n });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("SUB-7: an account banned before its renewal job ran (auto-renewal somehow still on) is not renewed or charged", async () => {
    const s = await subscriber(at("2027-06-05T00:00:00Z"));
    await t.db.user.update({ where: { id: s.userId }, data: { status: "banned" } });
    expect(await renewSubscription(s.deps(s.sub.periodEnd), s.sub.id)).toBe("expired");
    expect(laterCharges(s.pay)).toEqual([]);
    expect(await t.db.invoice.count({ where: { subscriptionId: s.sub.id, kind: "renewal" } })).toBe(0);
  });

  it("SUB-7: a past-due account that is banned gets no more retries: the retry is due at once and ends the plan without a charge", async () => {
    const s = await pastDue(at("2027-06-06T00:00:00Z"));
    const banAt = new Date(s.sub.periodEnd.getTime() + 2 * H);
    await t.db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: s.userId }, data: { status: "banned" } });
      await stopChargesOnBan(tx, s.userId, banAt, null);
    });
    expect(await dunningDueInvoiceIds(t.db, banAt)).toContain(s.invoice.id);
    await retryOverdueRenewals(s.deps(banAt), [s.invoice.id]);
    expect(laterCharges(s.pay)).toEqual([s.invoice.idempotencyKey]);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: s.invoice.id } })).toMatchObject({
      status: "void",
      nextAttemptAt: null,
    });
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: s.sub.id } })).toMatchObject({ status: "expired" });
  });
});

describe("SUB-7: a past-due subscriber can cancel, which stops the retries", () => {
  it("SUB-7: cancelling while past due ends the subscription now, voids the renewal, and the next retry job charges nothing", async () => {
    const s = await pastDue(at("2027-06-07T00:00:00Z"));
    const cancelAt = new Date(s.sub.periodEnd.getTime() + 3 * H);
    const ended = await cancelSubscription(s.deps(cancelAt), s.userId);
    expect(ended).toMatchObject({
      status: "expired",
      autoRenew: false,
      canceledAt: cancelAt,
      endedAt: s.sub.periodEnd,
    });
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: s.invoice.id } })).toMatchObject({
      status: "void",
      nextAttemptAt: null,
    });

    // The retry that was queued for day 1 runs anyway: nothing is charged.
    const day1 = new Date(s.sub.periodEnd.getTime() + 24 * H);
    expect(await dunningDueInvoiceIds(t.db, day1)).not.toContain(s.invoice.id);
    expect((await retryOverdueRenewals(s.deps(day1), [s.invoice.id])).size).toBe(0);
    expect(laterCharges(s.pay)).toEqual([s.invoice.idempotencyKey]);
    expect(await t.db.payment.count({ where: { invoiceId: s.invoice.id } })).toBe(1);
    expect(
      await t.db.auditLog.findFirst({ where: { action: "subscription.cancel", subjectId: s.sub.id } }),
    ).toMatchObject({ actorId: s.userId, after: { reason: "past_due" } });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("SUB-7: a past-due cancel pays nothing out (no refund) and gives back only what the wallet had put towards the unpaid renewal", async () => {
    const start = at("2027-06-08T00:00:00Z");
    const s = await subscriber(start);
    await giveCredits(t.db, s.userId, 700n, at("2027-06-20T00:00:00Z"));
    s.pay.willFail();
    expect(await renewSubscription(s.deps(s.sub.periodEnd), s.sub.id)).toBe("past_due");
    expect(await wallet(t.db, s.userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
    await cancelSubscription(s.deps(new Date(s.sub.periodEnd.getTime() + H)), s.userId);
    expect(await wallet(t.db, s.userId)).toEqual({ creditsMinor: 700n, cashMinor: 0n });
    expect(await t.db.refund.count({ where: { payment: { invoice: { userId: s.userId } } } })).toBe(0);
  });
});
