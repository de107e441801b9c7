import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { refundPayment, subscribe } from "../../lib/billing";
import {
  attributeFromVisit,
  invitationsOf,
  issueDueRewards,
  recordSighting,
  recordVisit,
  referralCodeOf,
  reviewReferrals,
  sightingOf,
  type Sighting,
} from "../../lib/referrals";
import { at, makeUser, wallet } from "../support/billing";
import { H, later, RETURN_URL, setupReferralWorld, somewhere } from "../support/referrals";

const { t, deps } = setupReferralWorld();

async function newInviter(now: Date) {
  const inviterId = await makeUser(t.db, now);
  return { inviterId, code: await referralCodeOf(t.db, inviterId, now) };
}

async function friendOf(code: string, now: Date, opts: { email?: string; seen?: Sighting } = {}) {
  const seen = opts.seen ?? somewhere();
  const friendId = opts.email
    ? (await t.db.user.create({ data: { email: opts.email, createdAt: now, updatedAt: now } })).id
    : await makeUser(t.db, now);
  const visit = (await recordVisit(t.db, { code, via: "link", sighting: seen, now }))!;
  expect(await attributeFromVisit(t.db, { friendId, visitId: visit.id, sighting: seen, now })).toMatchObject({
    ok: true,
  });
  return friendId;
}

async function pays(userId: string, now: Date, card = "pm_card_visa") {
  const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
  await deps(now).port.saveCard({
    userId,
    email: user.email,
    paymentMethod: card,
    returnUrl: RETURN_URL,
    idempotencyKey: `setup:${userId}:${card}`,
  });
  const outcome = await subscribe(deps(now), {
    userId,
    tier: "lite",
    cycle: "monthly",
    requestId: randomUUID(),
    returnUrl: RETURN_URL,
  });
  expect(outcome.status).toBe("paid");
  return outcome.invoiceId;
}

const referralOf = (friendId: string) =>
  t.db.referral.findUniqueOrThrow({ where: { friendId }, include: { flags: true } });
const rulesOf = async (friendId: string) =>
  (await referralOf(friendId)).flags.map((f) => `${f.rule}:${f.stage}:${f.state}`).sort();

describe("fraud rules hold rewards (REF-5)", () => {
  it("REF-5: a disposable e-mail is flagged at sign-up; the paid reward is held past its review time and shows as flagged", async () => {
    const now = at("2027-06-01T09:00:00Z");
    const { inviterId, code } = await newInviter(now);
    const friendId = await friendOf(code, now, { email: `x.${randomUUID().slice(0, 8)}@mailinator.com` });
    expect(await rulesOf(friendId)).toEqual(["disposable_email:signup:open"]);
    await pays(friendId, later(now, H));
    await issueDueRewards(t.db, later(now, 30 * H));
    expect(await referralOf(friendId)).toMatchObject({ state: "pending", issuedAt: null });
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(0n);
    expect((await invitationsOf(t.db, inviterId, later(now, 30 * H))).invitations).toMatchObject([
      { status: "held", reason: "flagged" },
    ]);
  });

  it("REF-5: a friend paying with the inviter's own card is flagged at payment (same card fingerprint)", async () => {
    const now = at("2027-06-02T09:00:00Z");
    const { inviterId, code } = await newInviter(now);
    const inviter = await t.db.user.findUniqueOrThrow({ where: { id: inviterId } });
    await deps(now).port.saveCard({
      userId: inviterId,
      email: inviter.email,
      paymentMethod: "pm_card_visa",
      returnUrl: RETURN_URL,
      idempotencyKey: `setup:${inviterId}`,
    });
    const friendId = await friendOf(code, now);
    expect(await rulesOf(friendId)).toEqual([]);
    await pays(friendId, later(now, H));
    const [flag] = (await referralOf(friendId)).flags;
    expect(flag).toMatchObject({ rule: "self_referral_payment_method", stage: "payment", state: "open" });
    expect((flag.evidence as { cardFingerprints: string[] }).cardFingerprints).toHaveLength(1);
  });

  it("REF-5: the third friend of one inviter from one network within 24 h is a bulk registration; the first is caught when it pays", async () => {
    const now = at("2027-06-03T09:00:00Z");
    const { code } = await newInviter(now);
    const net = `192.0.${randomInt(2, 250)}`;
    const seen = (n: number) => sightingOf({ ip: `${net}.${n}`, device: randomUUID().replaceAll("-", "") });
    const friends = [];
    for (const n of [1, 2, 3]) friends.push(await friendOf(code, later(now, n * 60_000), { seen: seen(n) }));
    expect(await rulesOf(friends[0])).toEqual([]);
    // Three accounts on one network is also the shared-network signal.
    expect(await rulesOf(friends[2])).toEqual(["bulk_registration:signup:open", "shared_device_network:signup:open"]);
    await pays(friends[0], later(now, H), "pm_card_mastercard");
    expect(await rulesOf(friends[0])).toEqual(["bulk_registration:payment:open", "shared_device_network:payment:open"]);
    const [flag] = (await referralOf(friends[0])).flags.filter((f) => f.rule === "bulk_registration");
    expect(flag.evidence as { signups: unknown[]; network: string }).toMatchObject({
      network: `${net}.0/24`,
      signups: [{}, {}],
    });
    await issueDueRewards(t.db, later(now, 26 * H));
    expect(await referralOf(friends[0])).toMatchObject({ state: "pending", issuedAt: null });
  });

  it("REF-5: one device behind three accounts is flagged at sign-up, with the other accounts as evidence", async () => {
    const now = at("2027-06-04T09:00:00Z");
    const device = randomUUID().replaceAll("-", "");
    for (let i = 0; i < 2; i++)
      await t.db.$transaction(async (tx) =>
        recordSighting(tx, await makeUser(t.db, now), sightingOf({ ip: "10.9.9.9", device }), now),
      );
    const { code } = await newInviter(now);
    const friendId = await friendOf(code, now, { seen: sightingOf({ ip: `10.${randomInt(256)}.1.1`, device }) });
    const [flag] = (await referralOf(friendId)).flags;
    expect(flag).toMatchObject({ rule: "shared_device_network", state: "open", evidence: { device, windowDays: 30 } });
    expect((flag.evidence as { deviceAccounts: string[] }).deviceAccounts).toHaveLength(2);
  });

  it("REF-5: an inviter whose paid invitees are refunded at 50 % has the next paid invitation flagged", async () => {
    const now = at("2027-06-05T09:00:00Z");
    const { code } = await newInviter(now);
    const admin = await makeUser(t.db, now);
    for (const n of [0, 1, 2, 3]) {
      const friendId = await friendOf(code, now);
      const invoiceId = await pays(friendId, later(now, H + n * 1000));
      if (n < 2) {
        const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId, status: "succeeded" } });
        await refundPayment(deps(later(now, 2 * H)), {
          paymentId: payment.id,
          amountMinor: 100n,
          reason: "asked",
          actorId: admin,
        });
      }
    }
    const next = await friendOf(code, later(now, 3 * H));
    await pays(next, later(now, 4 * H));
    expect(await rulesOf(next)).toEqual(["invitee_refund_rate:payment:open"]);
  });
});

describe("the admin review queue's decisions (REF-5)", () => {
  async function heldInvitation(now: Date) {
    const { inviterId, code } = await newInviter(now);
    const friendId = await friendOf(code, now, { email: `y.${randomUUID().slice(0, 8)}@mailinator.com` });
    await pays(friendId, later(now, H));
    return { inviterId, friendId, referral: await referralOf(friendId) };
  }

  it("REF-5: reject and ban need a reason; refused, they change nothing", async () => {
    const now = at("2027-07-01T09:00:00Z");
    const admin = await makeUser(t.db, now);
    const { friendId, referral } = await heldInvitation(now);
    for (const action of ["reject", "ban"] as const)
      expect(
        await reviewReferrals(t.db, action, { adminId: admin, referralIds: [referral.id], reason: "   ", now }),
      ).toEqual({ ok: false, error: "reason_required" });
    expect(await rulesOf(friendId)).toEqual(["disposable_email:signup:open"]);
    expect(await t.db.auditLog.count({ where: { subjectType: "referral", subjectId: referral.id } })).toBe(0);
  });

  it("REF-5: releasing a held reward past its review time issues it at once, and the audit log has who and why", async () => {
    const now = at("2027-07-02T09:00:00Z");
    const admin = await makeUser(t.db, now);
    const { inviterId, friendId, referral } = await heldInvitation(now);
    const when = later(now, 30 * H);
    expect(
      await reviewReferrals(t.db, "release", {
        adminId: admin,
        referralIds: [referral.id],
        reason: "known customer",
        now: when,
      }),
    ).toEqual({ ok: true, changed: 1 });
    expect(await referralOf(friendId)).toMatchObject({
      state: "issued",
      issuedAt: when,
      flags: [{ state: "released", decidedBy: admin, reason: "known customer" }],
    });
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(referral.rewardMinor);
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { action: "referral.release", subjectId: referral.id },
    });
    expect(audit).toMatchObject({
      actorId: admin,
      before: { openFlags: ["disposable_email"] },
      after: { reason: "known customer" },
    });
  });

  it("REF-5: two admins releasing the same held reward at once issue it once", async () => {
    const now = at("2027-07-02T10:00:00Z");
    const admins = await Promise.all([1, 2].map(() => makeUser(t.db, now)));
    const { inviterId, friendId, referral } = await heldInvitation(now);
    const when = later(now, 30 * H);
    const results = await Promise.all(
      admins.map((adminId) =>
        reviewReferrals(t.db, "release", { adminId, referralIds: [referral.id], reason: "", now: when }),
      ),
    );
    expect(results.map((r) => (r.ok ? r.changed : -1)).sort()).toEqual([0, 1]);
    expect(await referralOf(friendId)).toMatchObject({ state: "issued" });
    expect((await wallet(t.db, inviterId)).creditsMinor).toBe(referral.rewardMinor);
    expect(await t.db.auditLog.count({ where: { action: "referral.release", subjectId: referral.id } })).toBe(1);
  });

  it("REF-5: a bulk reject refuses several rewards with one reason", async () => {
    const now = at("2027-07-03T09:00:00Z");
    const admin = await makeUser(t.db, now);
    const a = await heldInvitation(now);
    const b = await heldInvitation(now);
    expect(
      await reviewReferrals(t.db, "reject", {
        adminId: admin,
        referralIds: [a.referral.id, b.referral.id],
        reason: "throw-away addresses",
        now,
      }),
    ).toEqual({ ok: true, changed: 2 });
    for (const x of [a, b])
      expect(await referralOf(x.friendId)).toMatchObject({
        state: "void",
        reason: "rejected",
        flags: [{ state: "rejected", reason: "throw-away addresses" }],
      });
    await issueDueRewards(t.db, later(now, 40 * H));
    expect((await wallet(t.db, a.inviterId)).creditsMinor).toBe(0n);
    expect(await t.db.auditLog.count({ where: { action: "referral.reject", actorId: admin } })).toBe(2);
  });

  it("REF-5: banning an inviter closes the account and refuses every reward not yet issued; an admin cannot be banned", async () => {
    const now = at("2027-07-04T09:00:00Z");
    const admin = await makeUser(t.db, now);
    const { inviterId, friendId, referral } = await heldInvitation(now);
    const { code } = { code: await referralCodeOf(t.db, inviterId, now) };
    const clean = await friendOf(code, now);
    expect(
      await reviewReferrals(t.db, "ban", { adminId: admin, referralIds: [referral.id], reason: "fake accounts", now }),
    ).toEqual({ ok: true, changed: 1 });
    expect(await t.db.user.findUniqueOrThrow({ where: { id: inviterId } })).toMatchObject({ status: "banned" });
    // The banned sign-in points to the e-mail that says why.
    expect(await t.db.notice.findFirst({ where: { userId: inviterId, kind: "referral_banned" } })).toMatchObject({
      params: { decision: "fake accounts" },
    });
    expect(await referralOf(friendId)).toMatchObject({ state: "void", reason: "inviter_banned" });
    expect(await referralOf(clean)).toMatchObject({ state: "void", reason: "inviter_banned" });
    expect(await t.db.auditLog.findFirstOrThrow({ where: { action: "user.ban", subjectId: inviterId } })).toMatchObject(
      { actorId: admin, after: { reason: "fake accounts" } },
    );

    await t.db.user.update({ where: { id: inviterId }, data: { role: "admin", status: "active" } });
    const again = await heldInvitation(now);
    await t.db.referral.update({ where: { id: again.referral.id }, data: { inviterId } });
    expect(
      await reviewReferrals(t.db, "ban", { adminId: admin, referralIds: [again.referral.id], reason: "x", now }),
    ).toEqual({ ok: false, error: "cannot_ban_admin" });
    expect(await t.db.user.findUniqueOrThrow({ where: { id: inviterId } })).toMatchObject({ status: "active" });
  });
});
