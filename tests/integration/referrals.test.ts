import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { quotePurchase, recordDispute, refundPayment, subscribe } from "../../lib/billing";
import type { Db } from "../../lib/db";
import {
  applyInviteCode,
  attributeFromVisit,
  inviteByEmail,
  DAILY_EMAIL_INVITES,
  invitationsOf,
  issueDueRewards,
  recordVisit,
  referralCodeOf,
  sightingOf,
  type Sighting,
} from "../../lib/referrals";
import { at, balanceMismatches, giveCredits, makeUser, wallet } from "../support/billing";
import { H, later, RETURN_URL, setupReferralWorld, somewhere } from "../support/referrals";
import { eventNote, postWebhook, recordedEvents, signed } from "../support/stripe";

const { t, local, deps } = setupReferralWorld();

async function userWithEmail(now: Date, email: string) {
  return (await t.db.user.create({ data: { email, createdAt: now, updatedAt: now } })).id;
}

async function saveCard(userId: string, now: Date, card = "pm_card_visa") {
  const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
  const saved = await deps(now).port.saveCard({
    userId,
    email: user.email,
    paymentMethod: card,
    returnUrl: RETURN_URL,
    idempotencyKey: `setup:${userId}:${card}`,
  });
  expect(saved.status).toBe("succeeded");
}

/** An inviter, a friend who opened the inviter's link at `visitAt` and signed up (REF-1). */
async function invited(visitAt: Date, opts: { friendEmail?: string; friendSeen?: Sighting; db?: Db } = {}) {
  const inviterId = await makeUser(t.db, visitAt);
  const code = await referralCodeOf(t.db, inviterId, visitAt);
  const seen = opts.friendSeen ?? somewhere();
  const visit = (await recordVisit(t.db, { code, via: "link", sighting: seen, now: visitAt }))!;
  const friendId = opts.friendEmail ? await userWithEmail(visitAt, opts.friendEmail) : await makeUser(t.db, visitAt);
  const attributed = await attributeFromVisit(t.db, { friendId, visitId: visit.id, sighting: seen, now: visitAt });
  expect(attributed).toMatchObject({ ok: true });
  return { inviterId, friendId, code, visit };
}

/** The friend buys Pro monthly (30.00 → 15.00 first order → 13.50 with the referral) with credits and the card. */
async function friendPays(friendId: string, now: Date, creditsMinor = 500n) {
  if (creditsMinor > 0n) await giveCredits(t.db, friendId, creditsMinor, now);
  await saveCard(friendId, now);
  const outcome = await subscribe(deps(now), {
    userId: friendId,
    tier: "pro",
    cycle: "monthly",
    requestId: randomUUID(),
    returnUrl: RETURN_URL,
  });
  expect(outcome.status).toBe("paid");
  return outcome.invoiceId;
}

const referralOf = (friendId: string) => t.db.referral.findUniqueOrThrow({ where: { friendId } });

describe("links, codes and attribution (REF-1, REF-2)", () => {
  it("REF-1: every subscriber has one code, the same on every call, even when first asked for twice at once", async () => {
    const now = at("2027-03-01T00:00:00Z");
    const userId = await makeUser(t.db, now);
    const codes = await Promise.all([1, 2, 3, 4].map(() => referralCodeOf(t.db, userId, now)));
    expect(new Set(codes).size).toBe(1);
    expect(codes[0]).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(await t.db.referralCode.count({ where: { userId } })).toBe(1);
  });

  it("REF-1: a link visit records when, network and device, and attribution keeps it through sign-up", async () => {
    const visitAt = at("2027-03-02T09:00:00Z");
    const seen = sightingOf({ ip: "203.0.113.40", userAgent: "Mozilla/5.0 test", device: "b".repeat(64) });
    const { visit, friendId, inviterId } = await invited(visitAt, { friendSeen: seen });
    expect(visit).toMatchObject({
      inviterId,
      via: "link",
      ip: "203.0.113.40",
      network: "203.0.113.0/24",
      device: "b".repeat(64),
      at: visitAt,
    });
    expect(await referralOf(friendId)).toMatchObject({
      inviterId,
      visitId: visit.id,
      visitedAt: visitAt,
      state: "signed_up",
      network: "203.0.113.0/24",
    });
    expect(await t.db.accountSighting.count({ where: { userId: friendId } })).toBe(2);
  });

  it("REF-1: a link visit seen only by its headers takes the browser's fingerprint when the friend signs up", async () => {
    const now = at("2027-03-02T10:00:00Z");
    const inviterId = await makeUser(t.db, now);
    const code = await referralCodeOf(t.db, inviterId, now);
    const visit = (await recordVisit(t.db, {
      code,
      via: "link",
      sighting: sightingOf({ ip: "203.0.113.41", userAgent: "Mozilla/5.0 link" }),
      now,
    }))!;
    expect(visit.device).toMatch(/^ua:/);
    const friendId = await makeUser(t.db, now);
    await attributeFromVisit(t.db, {
      friendId,
      visitId: visit.id,
      sighting: sightingOf({ ip: "203.0.113.41", device: "e".repeat(64) }),
      now,
    });
    expect(await t.db.referralVisit.findUniqueOrThrow({ where: { id: visit.id } })).toMatchObject({
      device: "e".repeat(64),
    });
    // An unknown or malformed visit id in the cookie attributes nothing.
    const stranger = await makeUser(t.db, now);
    expect(
      await attributeFromVisit(t.db, { friendId: stranger, visitId: randomUUID(), sighting: somewhere(), now }),
    ).toEqual({ ok: false, error: "unknown_code" });
    expect(
      await attributeFromVisit(t.db, { friendId: stranger, visitId: "'; drop table", sighting: somewhere(), now }),
    ).toBeNull();
    expect(await t.db.referral.count({ where: { friendId: stranger } })).toBe(0);
  });

  it("REF-1: a code typed at checkout counts as a visit; a wrong code, one's own code or a second inviter is refused and changes nothing", async () => {
    const now = at("2027-03-03T09:00:00Z");
    const inviterId = await makeUser(t.db, now);
    const code = await referralCodeOf(t.db, inviterId, now);
    const friendId = await makeUser(t.db, now);
    expect(await applyInviteCode(t.db, { friendId, code: "ZZZZZZZZ", sighting: somewhere(), now })).toEqual({
      ok: false,
      error: "unknown_code",
    });
    expect(await applyInviteCode(t.db, { friendId: inviterId, code, sighting: somewhere(), now })).toEqual({
      ok: false,
      error: "own_code",
    });
    expect(await t.db.referralVisit.count({ where: { inviterId } })).toBe(0);
    const typed = code.toLowerCase().replace(/^(....)/, "$1-");
    expect(await applyInviteCode(t.db, { friendId, code: typed, sighting: somewhere(), now })).toMatchObject({
      ok: true,
    });
    expect(await referralOf(friendId)).toMatchObject({ inviterId, via: "code", visitedAt: now, state: "signed_up" });

    const other = await makeUser(t.db, now);
    const otherCode = await referralCodeOf(t.db, other, now);
    expect(await applyInviteCode(t.db, { friendId, code: otherCode, sighting: somewhere(), now })).toEqual({
      ok: false,
      error: "already_invited",
    });
    expect(await referralOf(friendId)).toMatchObject({ inviterId });
  });

  it("REF-2: two inviters' codes entered at once for one friend: exactly one attribution wins, the other is told", async () => {
    const now = at("2027-03-03T12:00:00Z");
    const codes = await Promise.all([1, 2].map(async () => referralCodeOf(t.db, await makeUser(t.db, now), now)));
    const friendId = await makeUser(t.db, now);
    const results = await Promise.all(
      codes.map((code) => applyInviteCode(t.db, { friendId, code, sighting: somewhere(), now })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: "already_invited" }]);
    expect(await t.db.referral.count({ where: { friendId } })).toBe(1);
  });

  it("REF-2: visiting the same inviter's link again restarts the 72 hours while nothing is paid", async () => {
    const first = at("2027-03-04T09:00:00Z");
    const { friendId, code } = await invited(first);
    const again = later(first, 80 * H);
    const visit = (await recordVisit(t.db, { code, via: "link", sighting: somewhere(), now: again }))!;
    await attributeFromVisit(t.db, { friendId, visitId: visit.id, sighting: somewhere(), now: again });
    expect(await referralOf(friendId)).toMatchObject({ visitedAt: again, visitId: visit.id });
  });

  it("REF-2: someone who has paid for a subscription before is recorded as not new, and a code is refused them", async () => {
    const now = at("2027-03-05T09:00:00Z");
    const friendId = await makeUser(t.db, now);
    await friendPays(friendId, now, 0n);
    const inviterId = await makeUser(t.db, now);
    const code = await referralCodeOf(t.db, inviterId, now);
    expect(await applyInviteCode(t.db, { friendId, code, sighting: somewhere(), now })).toEqual({
      ok: false,
      error: "not_new",
    });
    const visit = (await recordVisit(t.db, { code, via: "link", sighting: somewhere(), now }))!;
    await attributeFromVisit(t.db, { friendId, visitId: visit.id, sighting: somewhere(), now });
    expect(await referralOf(friendId)).toMatchObject({ state: "void", reason: "not_new" });
  });
});

describe("discounts, payment and reward (REF-3, REF-4, REF-5)", () => {
  it("REF-3: the checkout quote shows the first-order and the referral discount before payment; after 72 h only the first", async () => {
    const visitAt = at("2027-04-01T09:00:00Z");
    const { friendId } = await invited(visitAt);
    const inTime = await quotePurchase(deps(later(visitAt, 72 * H)), {
      userId: friendId,
      region: "intl",
      tier: "pro",
      cycle: "monthly",
    });
    expect(inTime).toMatchObject({ ok: true, totalMinor: 1350n });
    if (!inTime.ok) return;
    expect(inTime.lines.filter((l) => l.kind.endsWith("discount"))).toEqual([
      { kind: "first_order_discount", amountMinor: -1500n },
      { kind: "referral_discount", amountMinor: -150n },
    ]);
    const late = await quotePurchase(deps(later(visitAt, 72 * H + 1000)), {
      userId: friendId,
      region: "intl",
      tier: "pro",
      cycle: "monthly",
    });
    expect(late).toMatchObject({ ok: true, totalMinor: 1500n });
  });

  it("REF-4, REF-5: the friend pays 13.50 less 5.00 of credits = 8.50 in money; 0.85 is issued after review, once, with a ledger posting", async () => {
    const visitAt = at("2027-04-02T09:00:00Z");
    const { friendId, inviterId } = await invited(visitAt);
    const paidAt = later(visitAt, 71 * H);
    const invoiceId = await friendPays(friendId, paidAt);
    expect(await referralOf(friendId)).toMatchObject({
      state: "pending",
      invoiceId,
      currency: "USD",
      paidAt,
      cashPaidMinor: 850n,
      rewardMinor: 85n,
      reviewAt: later(paidAt, 24 * H),
      issueBy: later(paidAt, 48 * H),
    });

    // Not at exactly paid + 24 h: a refund at that moment still counts as within 24 hours.
    expect((await issueDueRewards(t.db, later(paidAt, 24 * H))).issued).toBe(0);
    const when = later(paidAt, 24 * H + 1000);
    const runs = await Promise.all([1, 2, 3].map(() => issueDueRewards(t.db, when)));
    expect(runs.reduce((s, r) => s + r.issued, 0)).toBe(1);
    expect(await referralOf(friendId)).toMatchObject({ state: "issued", issuedAt: when });
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(85n);
    expect(
      await t.db.ledgerTransaction.count({
        where: { idempotencyKey: { startsWith: "referral:" }, userId: inviterId, kind: "referral_reward" },
      }),
    ).toBe(1);
    expect(await t.db.notice.count({ where: { userId: inviterId, kind: "referral_reward" } })).toBe(1);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("REF-5: one reward per referred order is enforced by the database", async () => {
    const visitAt = at("2027-04-03T09:00:00Z");
    const { friendId } = await invited(visitAt);
    const invoiceId = await friendPays(friendId, later(visitAt, H));
    const second = await invited(visitAt);
    await expect(t.db.referral.update({ where: { friendId: second.friendId }, data: { invoiceId } })).rejects.toThrow();
  });

  it("REF-2: paid after 72 h earns nothing, with the reason; the friend pays without the referral discount", async () => {
    const visitAt = at("2027-04-04T09:00:00Z");
    const { friendId, inviterId } = await invited(visitAt);
    await friendPays(friendId, later(visitAt, 72 * H + 1000), 0n);
    expect(await referralOf(friendId)).toMatchObject({ state: "void", reason: "paid_late", cashPaidMinor: 1500n });
    const view = await invitationsOf(t.db, inviterId, later(visitAt, 100 * H));
    expect(view.invitations).toMatchObject([{ status: "none", reason: "paid_late" }]);
  });

  it("REF-2: a refund at exactly paid + 24 h cancels the reward, and nothing is issued", async () => {
    const visitAt = at("2027-04-05T09:00:00Z");
    const { friendId, inviterId } = await invited(visitAt);
    const paidAt = later(visitAt, H);
    const invoiceId = await friendPays(friendId, paidAt, 0n);
    const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId, status: "succeeded" } });
    const admin = await makeUser(t.db, paidAt);
    await refundPayment(deps(later(paidAt, 24 * H)), {
      paymentId: payment.id,
      amountMinor: 100n,
      reason: "goodwill",
      actorId: admin,
    });
    expect(await referralOf(friendId)).toMatchObject({ state: "void", reason: "refunded", refundedMinor: 100n });
    await issueDueRewards(t.db, later(paidAt, 30 * H));
    expect(await referralOf(friendId)).toMatchObject({ state: "void", issuedAt: null });
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(0n);
    expect((await invitationsOf(t.db, inviterId, later(paidAt, 30 * H))).invitations).toMatchObject([
      { status: "none", reason: "refunded" },
    ]);
  });

  it("REF-5: a dispute before issuance cancels the reward", async () => {
    const visitAt = at("2027-04-06T09:00:00Z");
    const { friendId } = await invited(visitAt);
    const invoiceId = await friendPays(friendId, later(visitAt, H), 0n);
    const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId, status: "succeeded" } });
    await recordDispute(deps(later(visitAt, 2 * H)), {
      providerDisputeId: `dp_${randomUUID()}`,
      providerPaymentId: payment.providerPaymentId!,
      amountMinor: 1500n,
      currency: "USD",
      reason: "fraudulent",
      status: "open",
    });
    expect(await referralOf(friendId)).toMatchObject({ state: "void", reason: "disputed" });
  });

  it("REF-5: after issuance a partial refund takes back what it no longer earns; a full one takes the rest, and a shortfall is recorded, never a negative balance", async () => {
    const visitAt = at("2027-04-07T09:00:00Z");
    const { friendId, inviterId } = await invited(visitAt);
    const paidAt = later(visitAt, H);
    const invoiceId = await friendPays(friendId, paidAt, 0n);
    const issuedAt = later(paidAt, 25 * H);
    expect((await issueDueRewards(t.db, issuedAt)).issued).toBe(1);
    expect(await referralOf(friendId)).toMatchObject({ state: "issued", rewardMinor: 135n });
    const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId, status: "succeeded" } });
    const admin = await makeUser(t.db, paidAt);

    // 3.50 of 13.50 back: 10.00 still paid earns 1.00, so 0.35 comes back.
    await refundPayment(deps(later(issuedAt, H)), {
      paymentId: payment.id,
      amountMinor: 350n,
      reason: "partial outage",
      actorId: admin,
    });
    expect(await referralOf(friendId)).toMatchObject({
      state: "issued",
      refundedMinor: 350n,
      clawedBackMinor: 35n,
      shortfallMinor: 0n,
    });
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(100n);

    // The inviter spends 0.60 of the credits; the rest of the order is refunded.
    await t.db.$transaction(async (tx) => {
      const { post, system, userCredits } = await import("../../lib/ledger");
      await post(tx, {
        idempotencyKey: `spend:${inviterId}`,
        kind: "test_spend",
        userId: inviterId,
        at: issuedAt,
        entries: [
          { account: userCredits(inviterId, "USD"), amountMinor: -60n },
          { account: system("revenue", "USD"), amountMinor: 60n },
        ],
      });
    });
    await refundPayment(deps(later(issuedAt, 2 * H)), {
      paymentId: payment.id,
      amountMinor: 1000n,
      reason: "customer left",
      actorId: admin,
    });
    expect(await referralOf(friendId)).toMatchObject({
      refundedMinor: 1350n,
      clawedBackMinor: 75n,
      shortfallMinor: 60n,
    });
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(0n);
    expect(await t.db.notice.count({ where: { userId: inviterId, kind: "referral_clawback" } })).toBe(2);
    expect((await invitationsOf(t.db, inviterId, issuedAt)).invitations).toMatchObject([
      { status: "clawed_back", clawedBackMinor: 75n, shortfallMinor: 60n },
    ]);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });
});

describe("where referral credits go (WALLET-2)", () => {
  it("WALLET-2: referral credits pay for the inviter's own subscription first; a refund returns only the card part, never the credits as money", async () => {
    const visitAt = at("2027-04-20T09:00:00Z");
    const { friendId, inviterId } = await invited(visitAt);
    await friendPays(friendId, later(visitAt, H), 0n);
    const issuedAt = later(visitAt, 26 * H);
    await issueDueRewards(t.db, issuedAt);
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(135n);

    await saveCard(inviterId, issuedAt);
    const outcome = await subscribe(deps(issuedAt), {
      userId: inviterId,
      tier: "lite",
      cycle: "monthly",
      requestId: randomUUID(),
      returnUrl: RETURN_URL,
    });
    expect(outcome.status).toBe("paid");
    const lines = await t.db.invoiceLine.findMany({ where: { invoiceId: outcome.invoiceId } });
    // Lite 6.00, first order 3.00: 1.35 of credits, 1.65 by card.
    expect(Object.fromEntries(lines.map((l) => [l.kind, l.amountMinor]))).toMatchObject({
      credits_applied: -135n,
      card_charged: -165n,
    });
    expect(await wallet(t.db, inviterId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });

    const payment = await t.db.payment.findFirstOrThrow({
      where: { invoiceId: outcome.invoiceId, status: "succeeded" },
    });
    await expect(
      refundPayment(deps(later(issuedAt, H)), {
        paymentId: payment.id,
        amountMinor: 300n,
        reason: "too much",
        actorId: inviterId,
      }),
    ).rejects.toMatchObject({ code: "refund_exceeds_payment" });
    await refundPayment(deps(later(issuedAt, H)), {
      paymentId: payment.id,
      amountMinor: 165n,
      reason: "asked",
      actorId: inviterId,
    });
    expect(await wallet(t.db, inviterId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });
});

describe("the same payment webhook twice in parallel (REF-5, PAY-2)", () => {
  it("REF-5: a 3-D Secure first order whose payment_intent.succeeded arrives twice at once starts one review and issues one reward", async () => {
    // The webhook route reads the app's clock (the real time here): the visit was two hours ago.
    const visitAt = later(new Date(), -2 * H);
    const { friendId, inviterId } = await invited(visitAt);
    const now = later(visitAt, H);
    const user = await t.db.user.findUniqueOrThrow({ where: { id: friendId } });
    const d = deps(now);
    const setup = await d.port.saveCard({
      userId: friendId,
      email: user.email,
      paymentMethod: "pm_card_authenticationRequired",
      returnUrl: RETURN_URL,
      idempotencyKey: `s3ds:${friendId}`,
    });
    if (setup.status === "requires_action")
      await fetch(`${setup.actionUrl}/complete`, {
        method: "POST",
        body: new URLSearchParams({ result: "succeed" }),
        redirect: "manual",
      });
    await postWebhook(signed((await recordedEvents(local, ["setup_intent.succeeded"])).slice(-1)[0]));
    const outcome = await subscribe(d, {
      userId: friendId,
      tier: "pro",
      cycle: "monthly",
      requestId: "r1",
      returnUrl: RETURN_URL,
    });
    if (outcome.status !== "requires_action") throw new Error(`expected 3-D Secure, got ${outcome.status}`);
    await fetch(`${outcome.actionUrl}/complete`, {
      method: "POST",
      body: new URLSearchParams({ result: "succeed" }),
      redirect: "manual",
    });
    const pi = (await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } })).providerPaymentId!;
    const [succeeded] = (await recordedEvents(local, ["payment_intent.succeeded"])).filter(
      (e) => (e.data.object as { id: string }).id === pi,
    );
    const delivery = signed(succeeded);

    const answers = await Promise.all([postWebhook(delivery), postWebhook(delivery)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await eventNote(t.db, succeeded.id)).toMatchObject({ status: "processed" });
    expect(await referralOf(friendId)).toMatchObject({
      state: "pending",
      invoiceId: outcome.invoiceId,
      rewardMinor: 135n,
    });

    const { paidAt } = await referralOf(friendId);
    const when = later(paidAt!, 24 * H + 1);
    await Promise.all([issueDueRewards(t.db, when), issueDueRewards(t.db, when)]);
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(135n);
    expect(await t.db.ledgerTransaction.count({ where: { userId: inviterId, kind: "referral_reward" } })).toBe(1);
  });
});

describe("invitations by e-mail and the reasons shown (REF-1, REF-6)", () => {
  function mailbox() {
    const sent: { to: string; subject: string; text: string }[] = [];
    return { sent, send: async (m: { to: string; subject: string; text: string }) => void sent.push(m) };
  }
  const link = (code: string) => `http://localhost:3000/r/${code}`;

  it("REF-1: an e-mail invitation carries the link and code in the inviter's language; bad or repeated addresses are refused and send nothing", async () => {
    const now = at("2027-08-01T09:00:00Z");
    const inviterId = await makeUser(t.db, now);
    const inviter = await t.db.user.findUniqueOrThrow({ where: { id: inviterId } });
    const code = await referralCodeOf(t.db, inviterId, now);
    const box = mailbox();
    const friend = `friend.${randomUUID().slice(0, 8)}@example.com`;
    expect(
      await inviteByEmail(t.db, {
        inviterId,
        network: "198.51.100.0/24",
        email: ` ${friend.toUpperCase()} `,
        locale: "zh-CN",
        link,
        send: box.send,
        now,
      }),
    ).toEqual({ ok: true });
    expect(box.sent).toHaveLength(1);
    expect(box.sent[0]).toMatchObject({ to: friend });
    expect(box.sent[0].text).toContain(link(code));
    expect(box.sent[0].text).toContain(code);
    expect(box.sent[0].subject).toContain("邀请您");
    for (const [email, error] of [
      ["not an address", "invalid_email"],
      [inviter.email, "own_email"],
      [friend, "already_sent"],
    ] as const)
      expect(
        await inviteByEmail(t.db, {
          inviterId,
          network: "198.51.100.0/24",
          email,
          locale: "en",
          link,
          send: box.send,
          now,
        }),
      ).toEqual({ ok: false, error });
    expect(box.sent).toHaveLength(1);
    // SEC-2: an address with an account is answered like any other, but nothing is sent to it.
    const member = (await t.db.user.findFirstOrThrow({ where: { id: { not: inviterId } } })).email;
    expect(
      await inviteByEmail(t.db, {
        inviterId,
        network: "198.51.100.0/24",
        email: member,
        locale: "en",
        link,
        send: box.send,
        now,
      }),
    ).toEqual({ ok: true });
    expect(box.sent).toHaveLength(1);
    await t.db.referralInvite.deleteMany({ where: { inviterId, email: member } });
    expect((await invitationsOf(t.db, inviterId, now)).invitations).toMatchObject([
      { via: "email", status: "invited", sentAt: now, friend: expect.stringMatching(/^fr\*\*\*@example\.com$/) },
    ]);
  });

  it(`REF-1: at most ${DAILY_EMAIL_INVITES} e-mail invitations in 24 hours, even when sent all at once`, async () => {
    const now = at("2027-08-02T09:00:00Z");
    const inviterId = await makeUser(t.db, now);
    const box = mailbox();
    const results = await Promise.all(
      // Each from its own network: this is the inviter's own daily limit, not a network's (SEC-2's).
      Array.from({ length: DAILY_EMAIL_INVITES + 5 }, (_, i) =>
        inviteByEmail(t.db, {
          inviterId,
          network: `10.${i}.0.0/24`,
          email: `bulk${i}.${randomUUID().slice(0, 6)}@example.com`,
          locale: "en",
          link,
          send: box.send,
          now,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(DAILY_EMAIL_INVITES);
    expect(results.filter((r) => !r.ok && r.error === "daily_limit")).toHaveLength(5);
    expect(box.sent).toHaveLength(DAILY_EMAIL_INVITES);
    expect(
      await inviteByEmail(t.db, {
        inviterId,
        network: "198.51.100.0/24",
        email: `next.${randomUUID().slice(0, 6)}@example.com`,
        locale: "en",
        link,
        send: box.send,
        now: later(now, 24 * H + 1),
      }),
    ).toEqual({ ok: true });
  });

  it('REF-6: a friend invited by e-mail who signs up without the link or code shows "no link used"; one who used the link shows as that invitation', async () => {
    const now = at("2027-08-03T09:00:00Z");
    const inviterId = await makeUser(t.db, now);
    const code = await referralCodeOf(t.db, inviterId, now);
    const box = mailbox();
    const [direct, linked] = [
      `direct.${randomUUID().slice(0, 6)}@example.com`,
      `linked.${randomUUID().slice(0, 6)}@example.com`,
    ];
    for (const email of [direct, linked])
      expect(
        await inviteByEmail(t.db, {
          inviterId,
          network: "198.51.100.0/24",
          email,
          locale: "en",
          link,
          send: box.send,
          now,
        }),
      ).toEqual({ ok: true });
    await userWithEmail(later(now, H), direct);
    const linkedId = await userWithEmail(later(now, H), linked);
    const visit = (await recordVisit(t.db, { code, via: "link", sighting: somewhere(), now: later(now, H) }))!;
    await attributeFromVisit(t.db, {
      friendId: linkedId,
      visitId: visit.id,
      sighting: somewhere(),
      now: later(now, H),
    });
    const view = await invitationsOf(t.db, inviterId, later(now, 2 * H));
    expect(view.invitations.map((i) => [i.friend.slice(0, 2), i.via, i.status, i.reason])).toEqual(
      expect.arrayContaining([
        ["di", "email", "none", "no_link"],
        ["li", "link", "waiting", null],
      ]),
    );
    expect(view.invitations).toHaveLength(2);
  });

  it("REF-6: totals count issued rewards net of clawbacks and rewards still in review", async () => {
    const visitAt = at("2027-08-04T09:00:00Z");
    const { inviterId, code } = await invited(visitAt);
    const second = await makeUser(t.db, visitAt);
    const visit = (await recordVisit(t.db, { code, via: "link", sighting: somewhere(), now: visitAt }))!;
    await attributeFromVisit(t.db, { friendId: second, visitId: visit.id, sighting: somewhere(), now: visitAt });
    const firstFriend = (await t.db.referral.findFirstOrThrow({ where: { inviterId, friendId: { not: second } } }))
      .friendId;
    await friendPays(firstFriend, later(visitAt, H), 0n);
    await issueDueRewards(t.db, later(visitAt, 26 * H));
    await friendPays(second, later(visitAt, 27 * H), 0n);
    const view = await invitationsOf(t.db, inviterId, later(visitAt, 28 * H));
    expect(view.earned).toEqual([{ currency: "USD", amountMinor: 135n }]);
    expect(view.pending).toEqual([{ currency: "USD", amountMinor: 135n }]);
    expect(view.invitations.map((i) => i.status).sort()).toEqual(["in_review", "issued"]);
    const inReview = view.invitations.find((i) => i.status === "in_review")!;
    expect(inReview).toMatchObject({ issueFrom: later(visitAt, 51 * H), issueBy: later(visitAt, 75 * H) });
  });
});
