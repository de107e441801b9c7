import { DomainError } from "../errors/domain-error";
import { recordAudit } from "../audit/record";
import { stopChargesOnBan } from "../billing/ban";
import type { Db, Tx } from "../db";
import { notify } from "../notices/notify";
import { dueForReview } from "./conditions";
import { issueReward } from "./issuance";

export type ReviewAction = "release" | "reject" | "ban";
export type ReviewResult =
  { ok: true; changed: number } | { ok: false; error: "reason_required" | "not_found" | "cannot_ban_admin" };

type Input = { adminId: string; referralIds: string[]; reason: string; now: Date };

async function lockReferrals(tx: Tx, ids: string[]) {
  // In id order, so two admins acting on overlapping selections cannot deadlock.
  const locked = await tx.$queryRaw<
    { id: string }[]
  >`SELECT "id" FROM "referrals" WHERE "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR UPDATE`;
  return tx.referral.findMany({
    where: { id: { in: locked.map((l) => l.id) } },
    include: { flags: { where: { state: "open" } } },
  });
}

/** Release: the admin clears the open flags; a reward past its review time is issued at once, others when due. */
async function release(tx: Tx, input: Input) {
  let changed = 0;
  for (const r of await lockReferrals(tx, input.referralIds)) {
    if (r.flags.length === 0) continue;
    await tx.referralFlag.updateMany({
      where: { referralId: r.id, state: "open" },
      data: { state: "released", decidedBy: input.adminId, decidedAt: input.now, reason: input.reason || null },
    });
    await recordAudit(tx, {
      actorId: input.adminId,
      action: "referral.release",
      subjectType: "referral",
      subjectId: r.id,
      before: { state: r.state, openFlags: r.flags.map((f) => f.rule) },
      after: { state: r.state, openFlags: [], reason: input.reason || null },
      at: input.now,
    });
    if (r.state === "pending" && dueForReview(r.reviewAt!, input.now)) await issueReward(tx, r.id, input.now);
    changed++;
  }
  return changed;
}

/** Reject: the reward is refused for good, with the admin's reason. */
async function reject(tx: Tx, input: Input, voidReason: "rejected" | "inviter_banned") {
  let changed = 0;
  for (const r of await lockReferrals(tx, input.referralIds)) {
    const voids = r.state === "signed_up" || r.state === "pending";
    if (!voids && r.flags.length === 0) continue;
    await tx.referralFlag.updateMany({
      where: { referralId: r.id, state: "open" },
      data: { state: "rejected", decidedBy: input.adminId, decidedAt: input.now, reason: input.reason },
    });
    if (voids)
      await tx.referral.update({
        where: { id: r.id },
        data: { state: "void", reason: voidReason, updatedAt: input.now },
      });
    await recordAudit(tx, {
      actorId: input.adminId,
      action: "referral.reject",
      subjectType: "referral",
      subjectId: r.id,
      before: { state: r.state, openFlags: r.flags.map((f) => f.rule) },
      after: { state: voids ? "void" : r.state, reason: input.reason },
      at: input.now,
    });
    changed++;
  }
  return changed;
}

/** Ban: the inviter's account is closed, its auto-renewal off, and every reward of theirs not yet issued is refused. */
async function ban(tx: Tx, input: Input) {
  const inviters = [
    ...new Set(
      (await tx.referral.findMany({ where: { id: { in: input.referralIds } }, select: { inviterId: true } })).map(
        (r) => r.inviterId,
      ),
    ),
  ];
  let changed = 0;
  for (const inviterId of inviters.sort()) {
    const user = await tx.user.findUniqueOrThrow({ where: { id: inviterId } });
    if (user.role === "admin") throw new ReviewRefusal("cannot_ban_admin");
    if (user.status !== "banned") {
      await tx.user.update({ where: { id: inviterId }, data: { status: "banned", updatedAt: input.now } });
      // SUB-7: a banned account is never charged again; the ban turns auto-renewal off with it.
      await stopChargesOnBan(tx, inviterId, input.now, input.adminId);
      await recordAudit(tx, {
        actorId: input.adminId,
        action: "user.ban",
        subjectType: "user",
        subjectId: inviterId,
        before: { status: user.status },
        after: { status: "banned", reason: input.reason, cause: "referral_fraud" },
        at: input.now,
      });
      // The banned sign-in points to this e-mail for the reason and how to ask for a review.
      await notify(
        tx,
        [
          {
            userId: inviterId,
            kind: "referral_banned",
            params: { decision: input.reason },
            dedupeKey: `referral-ban:${inviterId}:${input.now.getTime()}`,
          },
        ],
        input.now,
      );
      changed++;
    }
    const open = await tx.referral.findMany({
      where: { inviterId, OR: [{ state: { in: ["signed_up", "pending"] } }, { flags: { some: { state: "open" } } }] },
      select: { id: true },
    });
    await reject(tx, { ...input, referralIds: open.map((o) => o.id) }, "inviter_banned");
  }
  return changed;
}

/** A refused review (an admin is never banned from the referral queue); caught below and answered as a result. */
class ReviewRefusal extends DomainError<"cannot_ban_admin"> {
  constructor(code: "cannot_ban_admin") {
    super(code, code, 403);
  }
}

/**
 * An admin's decision on one or more invitations (bulk actions for obvious
 * cases). Rejecting and banning need a reason; every decision is in the audit
 * log with who and why.
 */
export async function reviewReferrals(database: Db, action: ReviewAction, input: Input): Promise<ReviewResult> {
  const reason = input.reason.trim();
  if ((action === "reject" || action === "ban") && reason.length === 0) return { ok: false, error: "reason_required" };
  if (input.referralIds.length === 0) return { ok: false, error: "not_found" };
  try {
    const changed = await database.$transaction(async (tx) => {
      const args = { ...input, reason };
      if (action === "release") return release(tx, args);
      if (action === "reject") return reject(tx, args, "rejected");
      return ban(tx, args);
    });
    return { ok: true, changed };
  } catch (e) {
    if (e instanceof ReviewRefusal) return { ok: false, error: e.code };
    throw e;
  }
}
