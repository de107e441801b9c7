import type { Db } from "../db";
import { referralRules } from "./config";
import { offerEndsAt, offerOpen } from "./conditions";
import { maskEmail } from "./mask";

/**
 * What the subscriber sees of an invitation (REF-6). `status` is one of:
 * invited (sent by e-mail, no account yet), waiting (signed up, not paid
 * yet, 72 h running), window_passed, in_review, held (a fraud flag is open),
 * issued, clawed_back, none (earned nothing; `reason` says why).
 */
export type InvitationView = {
  id: string;
  friend: string;
  /** Null for an e-mail invitation nobody came through. */
  visitedAt: Date | null;
  via: "link" | "code" | "email";
  /** When the inviter sent it by e-mail, if they did. */
  sentAt: Date | null;
  status: "invited" | "waiting" | "window_passed" | "in_review" | "held" | "issued" | "clawed_back" | "none";
  reason: string | null;
  currency: string | null;
  rewardMinor: bigint | null;
  clawedBackMinor: bigint;
  shortfallMinor: bigint;
  paidAt: Date | null;
  offerEndsAt: Date | null;
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
          ? r.clawedBackMinor + r.shortfallMinor > 0n
            ? "clawed_back"
            : "issued"
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
      sentAt: null,
      status,
      // A held invitation's reason is "flagged as abnormal" (REF-6), whatever rule fired: the rule is the admin's business.
      reason: r.state === "void" ? r.reason : held ? "flagged" : null,
      currency: r.currency,
      rewardMinor: r.rewardMinor,
      clawedBackMinor: r.clawedBackMinor,
      shortfallMinor: r.shortfallMinor,
      paidAt: r.paidAt,
      offerEndsAt: offerEndsAt(r.visitedAt, rules.attributionHours),
      issueFrom: r.reviewAt,
      issueBy: r.issueBy,
      issuedAt: r.issuedAt,
    };
  });
  views.push(...(await emailInvitationsOf(database, inviterId, new Set(rows.map((r) => r.friend.email)))));
  views.sort((a, b) => (b.visitedAt ?? b.sentAt!).getTime() - (a.visitedAt ?? a.sentAt!).getTime());
  const earned = new Map<string, bigint>();
  const pending = new Map<string, bigint>();
  for (const v of views) {
    if (!v.currency || v.rewardMinor === null) continue;
    if (v.status === "issued" || v.status === "clawed_back")
      earned.set(v.currency, (earned.get(v.currency) ?? 0n) + v.rewardMinor - v.clawedBackMinor - v.shortfallMinor);
    if (v.status === "in_review" || v.status === "held")
      pending.set(v.currency, (pending.get(v.currency) ?? 0n) + v.rewardMinor);
  }
  return {
    invitations: views,
    earned: [...earned].map(([currency, amountMinor]) => ({ currency, amountMinor })),
    pending: [...pending].map(([currency, amountMinor]) => ({ currency, amountMinor })),
  };
}

/**
 * E-mail invitations that no invitation row covers: still waiting for the
 * friend, or "no link used" when the friend made an account without the link
 * or code (REF-6: it cannot earn anything, and the inviter is told why).
 */
async function emailInvitationsOf(database: Db, inviterId: string, covered: Set<string>): Promise<InvitationView[]> {
  const invites = (
    await database.referralInvite.findMany({ where: { inviterId }, orderBy: { sentAt: "desc" }, take: 200 })
  ).filter((i) => !covered.has(i.email));
  const members = new Set(
    (
      await database.user.findMany({ where: { email: { in: invites.map((i) => i.email) } }, select: { email: true } })
    ).map((u) => u.email),
  );
  return invites.map((i) => ({
    id: i.id,
    friend: maskEmail(i.email),
    visitedAt: null,
    via: "email" as const,
    sentAt: i.sentAt,
    status: members.has(i.email) ? ("none" as const) : ("invited" as const),
    reason: members.has(i.email) ? "no_link" : null,
    currency: null,
    rewardMinor: null,
    clawedBackMinor: 0n,
    shortfallMinor: 0n,
    paidAt: null,
    offerEndsAt: null,
    issueFrom: null,
    issueBy: null,
    issuedAt: null,
  }));
}
