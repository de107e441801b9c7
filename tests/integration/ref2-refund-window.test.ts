import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { refundPayment, subscribe } from "../../lib/billing";
import {
  attributeFromVisit,
  invitationsOf,
  issueDueRewards,
  recordVisit,
  referralCodeOf,
  reviewReferrals,
} from "../../lib/referrals";
import { at, balanceMismatches, makeUser, wallet } from "../support/billing";
import { H, later, RETURN_URL, setupReferralWorld, somewhere } from "../support/referrals";

const { t, deps } = setupReferralWorld();

/**
 * An inviter and a friend who came through the link and paid Pro monthly by
 * card an hour later: 30.00 → 15.00 first order → 13.50 with the referral
 * (REF-3), so REF-4's reward is 1.35. A disposable address, when asked for,
 * raises a fraud flag that holds the reward (REF-5).
 */
async function paidInvitation(visitAt: Date, opts: { flagged?: boolean } = {}) {
  const inviterId = await makeUser(t.db, visitAt);
  const code = await referralCodeOf(t.db, inviterId, visitAt);
  const seen = somewhere();
  const email = opts.flagged ? `r.${randomUUID().slice(0, 8)}@mailinator.com` : `f-${randomUUID()}@example.test`;
  const friendId = (await t.db.user.create({ data: { email, createdAt: visitAt, updatedAt: visitAt } })).id;
  const visit = (await recordVisit(t.db, { code, via: "link", sighting: seen, now: visitAt }))!;
  expect(await attributeFromVisit(t.db, { friendId, visitId: visit.id, sighting: seen, now: visitAt })).toMatchObject({
    ok: true,
  });
  const paidAt = later(visitAt, H);
  await deps(paidAt).port.saveCard({
    userId: friendId,
    email,
    paymentMethod: "pm_card_visa",
    returnUrl: RETURN_URL,
    idempotencyKey: `setup:${friendId}`,
  });
  const outcome = await subscribe(deps(paidAt), {
    userId: friendId,
    tier: "pro",
    cycle: "monthly",
    requestId: randomUUID(),
    returnUrl: RETURN_URL,
  });
  expect(outcome.status).toBe("paid");
  const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId, status: "succeeded" } });
  expect(payment.amountMinor).toBe(1350n);
  return { inviterId, friendId, paidAt, payment, admin: await makeUser(t.db, visitAt) };
}

const referralOf = (friendId: string) =>
  t.db.referral.findUniqueOrThrow({ where: { friendId }, include: { flags: true } });

describe("REF-2: only a refund within the refund window costs the reward", () => {
  it("REF-2: a refund at 30 h while a fraud flag holds the reward keeps it, reduced to what remains paid; released, the reduced reward is issued", async () => {
    const visitAt = at("2027-08-01T09:00:00Z");
    const { inviterId, friendId, paidAt, payment, admin } = await paidInvitation(visitAt, { flagged: true });
    expect(await referralOf(friendId)).toMatchObject({
      state: "pending",
      rewardMinor: 135n,
      flags: [{ rule: "disposable_email", state: "open" }],
    });
    await issueDueRewards(t.db, later(paidAt, 26 * H));
    expect(await referralOf(friendId)).toMatchObject({ state: "pending", issuedAt: null });

    await refundPayment(deps(later(paidAt, 30 * H)), {
      paymentId: payment.id,
      amountMinor: 500n,
      reason: "partial outage",
      actorId: admin,
    });
    // 13.50 − 5.00 = 8.50 remains paid → 10 % = 0.85.
    const kept = await referralOf(friendId);
    expect(kept).toMatchObject({ state: "pending", reason: null, refundedMinor: 500n, rewardMinor: 85n });
    expect(
      await t.db.auditLog.findFirstOrThrow({ where: { action: "referral.reward_reduced", subjectId: kept.id } }),
    ).toMatchObject({
      after: { fromMinor: "135", toMinor: "85", currency: "USD" },
    });
    expect((await invitationsOf(t.db, inviterId, later(paidAt, 31 * H))).invitations).toMatchObject([
      { status: "held", reason: "flagged" },
    ]);

    const when = later(paidAt, 32 * H);
    expect(
      await reviewReferrals(t.db, "release", {
        adminId: admin,
        referralIds: [kept.id],
        reason: "known customer",
        now: when,
      }),
    ).toEqual({ ok: true, changed: 1 });
    expect(await referralOf(friendId)).toMatchObject({ state: "issued", rewardMinor: 85n, issuedAt: when });
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(85n);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("REF-2: a refund one second after paid + 24 h, before issuance, keeps the reward reduced; the job issues the reduced amount", async () => {
    const visitAt = at("2027-08-02T09:00:00Z");
    const { inviterId, friendId, paidAt, payment, admin } = await paidInvitation(visitAt);
    await refundPayment(deps(later(paidAt, 24 * H + 1000)), {
      paymentId: payment.id,
      amountMinor: 1000n,
      reason: "goodwill",
      actorId: admin,
    });
    // 13.50 − 10.00 = 3.50 remains → 0.35.
    expect(await referralOf(friendId)).toMatchObject({ state: "pending", refundedMinor: 1000n, rewardMinor: 35n });
    expect((await issueDueRewards(t.db, later(paidAt, 25 * H))).issued).toBe(1);
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(35n);
  });

  it("REF-2: a refund at exactly paid + 24 h is within the window and cancels the reward; so does a late refund of everything paid", async () => {
    const visitAt = at("2027-08-03T09:00:00Z");
    const edge = await paidInvitation(visitAt);
    await refundPayment(deps(later(edge.paidAt, 24 * H)), {
      paymentId: edge.payment.id,
      amountMinor: 100n,
      reason: "goodwill",
      actorId: edge.admin,
    });
    expect(await referralOf(edge.friendId)).toMatchObject({ state: "void", reason: "refunded", refundedMinor: 100n });

    const whole = await paidInvitation(visitAt);
    await refundPayment(deps(later(whole.paidAt, 40 * H)), {
      paymentId: whole.payment.id,
      amountMinor: 1350n,
      reason: "left",
      actorId: whole.admin,
    });
    expect(await referralOf(whole.friendId)).toMatchObject({ state: "void", reason: "refunded", refundedMinor: 1350n });
    await issueDueRewards(t.db, later(whole.paidAt, 41 * H));
    expect((await wallet(t.db, whole.inviterId)).creditsMinor).toBe(0n);
  });
});
