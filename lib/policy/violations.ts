import { lockUserRow } from "../accounts/lock";
import { DomainError, statusOf } from "../errors/domain-error";
import { recordAudit } from "../audit/record";
import { stopChargesOnBan } from "../billing/ban";
import type { Db, Prisma, Tx } from "../db";
import { notify } from "../notices/notify";
import { policySettings, type PolicySettings } from "./config";
import type { Evidence } from "./define";

const TX = { maxWait: 10_000, timeout: 20_000 } as const;
const COUNTING = ["open", "review_requested", "upheld"] as const;

type PolicyErrorCode =
  "violation_not_found" | "reason_required" | "review_note_too_long" | "already_decided" | "not_banned";

const POLICY_STATUS: Partial<Record<PolicyErrorCode, number>> = {
  violation_not_found: 404,
  reason_required: 422,
  review_note_too_long: 422,
};

export class PolicyError extends DomainError<PolicyErrorCode> {
  constructor(code: PolicyErrorCode) {
    super(code, code, statusOf(POLICY_STATUS, code));
  }
}

/** The user's row lock (lib/accounts/lock.ts); a user who is gone is null, which each step answers itself. */
const lockUser = lockUserRow;

/** Throttles the user's live subscription until `until` (or lifts it with null). Bumps its row version, so every cache reads it again. */
async function setThrottle(tx: Tx, userId: string, until: Date | null, now: Date) {
  await tx.subscription.updateMany({
    where: { userId, status: { not: "expired" } },
    data: { throttledUntil: until, updatedAt: now },
  });
}

/**
 * POLICY-1..3: a rule fired for a user. Under the user's row lock:
 * - while a violation from the last quiet period already throttles them, the
 *   new sign only moves the throttle on (one burst of misuse is one violation);
 * - otherwise a violation is recorded with its evidence, the subscription is
 *   throttled for the quiet period, and the subscriber is told why;
 * - the `banAfter`-th violation that counts (not reversed) bans the account:
 *   its keys are refused with 1309 (the users trigger tells every cache),
 *   sign-in says why, and auto-renewal is off in the same transaction (SUB-7).
 * Returns what happened.
 */
export async function recordViolation(
  database: Db,
  input: { userId: string; rule: string; evidence: Evidence; now: Date },
  settings: PolicySettings = policySettings(),
): Promise<"recorded" | "banned" | "extended" | "skipped"> {
  const { userId, now } = input;
  const until = new Date(now.getTime() + settings.throttle.quietHours * 3_600_000);
  return database.$transaction(async (tx) => {
    const user = await lockUser(tx, userId);
    if (!user || user.status === "banned") return "skipped";
    const recent = await tx.policyViolation.findFirst({
      where: {
        userId,
        state: { in: [...COUNTING] },
        createdAt: { gt: new Date(now.getTime() - settings.throttle.quietHours * 3_600_000) },
      },
    });
    if (recent) {
      await setThrottle(tx, userId, until, now);
      return "extended";
    }
    const v = await tx.policyViolation.create({
      data: {
        userId,
        rule: input.rule,
        evidence: input.evidence as Prisma.InputJsonObject,
        state: "open",
        createdAt: now,
      },
    });
    const counting = await tx.policyViolation.count({ where: { userId, state: { in: [...COUNTING] } } });
    await recordAudit(tx, {
      actorId: null,
      action: "policy.violation",
      subjectType: "user",
      subjectId: userId,
      after: { violationId: v.id, rule: input.rule, count: counting },
      at: now,
    });
    if (counting >= settings.banAfter) {
      await tx.user.update({ where: { id: userId }, data: { status: "banned", updatedAt: now } });
      // SUB-7: a banned account is never charged again; the ban turns auto-renewal off with it.
      await stopChargesOnBan(tx, userId, now, null);
      await recordAudit(tx, {
        actorId: null,
        action: "policy.ban",
        subjectType: "user",
        subjectId: userId,
        before: { status: user.status },
        after: { status: "banned", violations: counting },
        at: now,
      });
      await notify(
        tx,
        [
          {
            userId,
            kind: "policy_banned",
            params: { rule: input.rule, count: counting },
            dedupeKey: `policy:${v.id}:banned`,
          },
        ],
        now,
      );
      return "banned";
    }
    await setThrottle(tx, userId, until, now);
    await notify(
      tx,
      [
        {
          userId,
          kind: "policy_violation",
          params: { rule: input.rule, until: until.toISOString(), count: counting, banAfter: settings.banAfter },
          dedupeKey: `policy:${v.id}:recorded`,
        },
      ],
      now,
    );
    return "recorded";
  }, TX);
}

/** POLICY-2: the subscriber asks for a review of an open violation, in their own words. */
export async function requestReview(
  database: Db,
  input: { userId: string; violationId: string; note: string; now: Date },
) {
  const note = input.note.trim();
  if (note.length > 2000) throw new PolicyError("review_note_too_long");
  return database.$transaction(async (tx) => {
    const moved = await tx.policyViolation.updateMany({
      where: { id: input.violationId, userId: input.userId, state: "open" },
      data: { state: "review_requested", reviewNote: note || null, reviewAskedAt: input.now },
    });
    if (moved.count === 0) throw new PolicyError("violation_not_found");
    await recordAudit(tx, {
      actorId: input.userId,
      action: "policy.review_requested",
      subjectType: "policy_violation",
      subjectId: input.violationId,
      before: { state: "open" },
      after: { state: "review_requested", note },
      at: input.now,
    });
  }, TX);
}

/**
 * An admin decides a violation: `uphold` keeps it, `reverse` takes it back (it
 * no longer counts; its throttle lifts when no other counting violation is
 * recent). Reversing the violation that banned an account does not unban it
 * by itself: liftBan does, with its own reason.
 */
export async function decideViolation(
  database: Db,
  input: { adminId: string; violationId: string; decision: "uphold" | "reverse"; reason: string; now: Date },
  settings: PolicySettings = policySettings(),
) {
  const reason = input.reason.trim();
  if (!reason) throw new PolicyError("reason_required");
  return database.$transaction(async (tx) => {
    const v = await tx.policyViolation.findUnique({ where: { id: input.violationId } });
    if (!v) throw new PolicyError("violation_not_found");
    await lockUser(tx, v.userId);
    const state = input.decision === "uphold" ? "upheld" : "reversed";
    const moved = await tx.policyViolation.updateMany({
      where: { id: v.id, state: { in: ["open", "review_requested"] } },
      data: { state, decidedBy: input.adminId, decidedAt: input.now, decisionReason: reason },
    });
    if (moved.count === 0) throw new PolicyError("already_decided");
    if (state === "reversed") {
      const stillRecent = await tx.policyViolation.count({
        where: {
          userId: v.userId,
          state: { in: [...COUNTING] },
          createdAt: { gt: new Date(input.now.getTime() - settings.throttle.quietHours * 3_600_000) },
        },
      });
      if (stillRecent === 0) await setThrottle(tx, v.userId, null, input.now);
    }
    await recordAudit(tx, {
      actorId: input.adminId,
      action: `policy.${state}`,
      subjectType: "policy_violation",
      subjectId: v.id,
      before: { state: v.state },
      after: { state, reason },
      at: input.now,
    });
    await notify(
      tx,
      [
        {
          userId: v.userId,
          kind: "policy_review_decided",
          params: { rule: v.rule, decision: state },
          dedupeKey: `policy:${v.id}:${state}`,
        },
      ],
      input.now,
    );
  }, TX);
}

/** An admin reverses a ban, with a reason: the account and its keys work again. */
export async function liftBan(database: Db, input: { adminId: string; userId: string; reason: string; now: Date }) {
  const reason = input.reason.trim();
  if (!reason) throw new PolicyError("reason_required");
  return database.$transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    if (!user || user.status !== "banned") throw new PolicyError("not_banned");
    await tx.user.update({ where: { id: input.userId }, data: { status: "active", updatedAt: input.now } });
    await recordAudit(tx, {
      actorId: input.adminId,
      action: "policy.unban",
      subjectType: "user",
      subjectId: input.userId,
      before: { status: "banned" },
      after: { status: "active", reason },
      at: input.now,
    });
    await notify(
      tx,
      [
        {
          userId: input.userId,
          kind: "policy_ban_lifted",
          params: {},
          dedupeKey: `policy:${input.userId}:unban:${input.now.getTime()}`,
        },
      ],
      input.now,
    );
  }, TX);
}
