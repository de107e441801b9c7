import type { Db, Tx } from "../db";
import { referralRules } from "./config";
import { offerEndsAt, offerOpen } from "./conditions";

/**
 * REF-3: the referral discount a first order gets, if the user came through
 * an invitation whose 72 hours are still running. The checkout shows it
 * before payment because the quote runs this same code.
 */
export async function referralDiscountFor(
  tx: Tx,
  userId: string,
  now: Date,
): Promise<{ kind: "referral_discount"; bps: number }[]> {
  const rules = referralRules();
  if (rules.discountBps === 0) return [];
  const referral = await tx.referral.findUnique({
    where: { friendId: userId },
    select: { state: true, visitedAt: true },
  });
  if (!referral || referral.state !== "signed_up" || !offerOpen(referral.visitedAt, now, rules.attributionHours))
    return [];
  return [{ kind: "referral_discount", bps: rules.discountBps }];
}

/** The offer an invite-link visit opened, for the sign-up page's note; null when the visit is unknown or its 72 hours are over. */
export async function offerOfVisit(database: Db, visitId: string | undefined, now: Date) {
  if (!visitId || !/^[0-9a-f-]{36}$/.test(visitId)) return null;
  const visit = await database.referralVisit.findUnique({ where: { id: visitId }, select: { at: true } });
  const rules = referralRules();
  if (!visit || !offerOpen(visit.at, now, rules.attributionHours)) return null;
  return { discountBps: rules.discountBps, offerEndsAt: offerEndsAt(visit.at, rules.attributionHours) };
}

/** Until when a user's own invitation discount holds (the checkout's note), or null when there is none. */
export async function referralOfferOf(database: Db, userId: string, now: Date) {
  const rules = referralRules();
  const r = await database.referral.findUnique({
    where: { friendId: userId },
    select: { state: true, visitedAt: true },
  });
  if (!r || r.state !== "signed_up" || !offerOpen(r.visitedAt, now, rules.attributionHours)) return null;
  return { offerEndsAt: offerEndsAt(r.visitedAt, rules.attributionHours) };
}
