import type { Db } from "../db";
import { referralRules } from "./config";
import { offerOpen } from "./conditions";
import { maskEmail } from "./mask";

/**
 * What the subscriber sees of an invitation (REF-6). `status` is one of:
 * waiting (signed up, not paid yet, 72 h running), window_passed, in_review,
 * held (a fraud flag is open), issued, clawed_back, none (earned nothing; `reason` says why).
 */
export type InvitationView = {
  id: string;
  friend: string;
  visitedAt: Date;
  via: "link" | "code";
  status: "waiting" | "window_passed" | "in_review" | "held" | "issued" | "clawed_back" | "none";
  reason: string | null;
  currency: string | null;
  rewardMinor: bigint | null;
  clawedBackMinor: bigint;
  shortfallMinor: bigint;
  paidAt: Date | null;
  offerEndsAt: Date;
  issueFrom: Date | null;
  issueBy: Date | null;
  issuedAt: Date | null;
};

export async function invitationsOf(database: Db, inviterId: string, now: Date) {
  const rules = referralRules();
  const rows = await database.referral.findMany({
    where: { inviterId },
    orderBy: { createdAt: "desc" },
    take: 200,
    include: { friend: { select: { email: true } }, flags: { where: { state: "open" }, select: { id: true } } },
  });
  const views: InvitationView[] = rows.map((r) => {
    const held = r.flags.length > 0 && (r.state === "signed_up" || r.state === "pending");
    const status: InvitationView["status"] =
      r.state === "void"
        ? "none"
        : r.state === "issued"
          ? r.clawedBackMinor + r.shortfallMinor > 0n ? "clawed_back" : "issued"
          : held
            ? "held"
            : r.state === "pending"
              ? "in_review"
              : offerOpen(r.visitedAt, now, rules.attributionHours)
                ? "waiting"
                : "window_passed";
    return {
      id: r.id,
      friend: maskEmail(r.friend.email),
      visitedAt: r.visitedAt,
      via: r.via,
      status,
      // A held invitation's reason is "flagged as abnormal" (REF-6), whatever rule fired: the rule is the admin's business.
      reason: r.state === "void" ? r.reason : held ? "flagged" : null,
      currency: r.currency,
      rewardMinor: r.rewardMinor,
      clawedBackMinor: r.clawedBackMinor,
      shortfallMinor: r.shortfallMinor,
      paidAt: r.paidAt,
      offerEndsAt: new Date(r.visitedAt.getTime() + rules.attributionHours * 3_600_000),
      issueFrom: r.reviewAt,
      issueBy: r.issueBy,
      issuedAt: r.issuedAt,
    };
  });
  const earned = new Map<string, bigint>();
  const pending = new Map<string, bigint>();
  for (const v of views) {
    if (!v.currency || v.rewardMinor === null) continue;
    if (v.status === "issued" || v.status === "clawed_back") earned.set(v.currency, (earned.get(v.currency) ?? 0n) + v.rewardMinor - v.clawedBackMinor - v.shortfallMinor);
    if (v.status === "in_review" || v.status === "held") pending.set(v.currency, (pending.get(v.currency) ?? 0n) + v.rewardMinor);
  }
  return { invitations: views, earned: [...earned].map(([currency, amountMinor]) => ({ currency, amountMinor })), pending: [...pending].map(([currency, amountMinor]) => ({ currency, amountMinor })) };
}
