/**
 * REF-2, one pure function per condition. The edges are inclusive, as
 * PRODUCT.md decides: paid at exactly visit + 72 h is in time, and a refund at
 * exactly paid + 24 h is "refunded within 24 hours".
 */
const HOUR_MS = 3_600_000;

/** The friend came through the link or code: an invitation exists only with a visit behind it. */
export function cameThroughInvite(visitAt: Date | null): boolean {
  return visitAt !== null;
}

/** The friend is new: no subscription was ever paid before this order. */
export function isNewSubscriber(paidSubscriptionsBefore: number): boolean {
  return paidSubscriptionsBefore === 0;
}

/** The first subscription was paid within the attribution window of the visit. */
export function paidInTime(visitAt: Date, paidAt: Date, attributionHours: number): boolean {
  return paidAt.getTime() >= visitAt.getTime() && paidAt.getTime() <= visitAt.getTime() + attributionHours * HOUR_MS;
}

/** The offer a visit opened is still open (the checkout's referral discount). */
export function offerOpen(visitAt: Date, now: Date, attributionHours: number): boolean {
  return paidInTime(visitAt, now, attributionHours);
}

/** The last moment the friend may pay and still count (shown on the sign-up, checkout and referrals screens). */
export function offerEndsAt(visitAt: Date, attributionHours: number): Date {
  return new Date(visitAt.getTime() + attributionHours * HOUR_MS);
}

/** REF-5: reviewed once the refund window has passed (strictly after it), issued by the deadline. */
export function reviewTimes(paidAt: Date, rules: { reviewAfterHours: number; issueWithinHours: number }) {
  return {
    reviewAt: new Date(paidAt.getTime() + rules.reviewAfterHours * HOUR_MS),
    issueBy: new Date(paidAt.getTime() + rules.issueWithinHours * HOUR_MS),
  };
}

/** The moment the reward may be issued: strictly after reviewAt, so a refund at exactly paid + 24 h still cancels it. */
export function dueForReview(reviewAt: Date, now: Date): boolean {
  return now.getTime() > reviewAt.getTime();
}

export const VOID_REASONS = [
  "no_link",
  "paid_late",
  "not_new",
  "refunded",
  "disputed",
  "rejected",
  "no_cash_paid",
  "inviter_banned",
] as const;
export type VoidReason = (typeof VOID_REASONS)[number];

/**
 * What a paid first order means for its invitation: a reason for no reward,
 * or null when the payment-time conditions of REF-2 hold (the refund
 * condition is judged later, up to issuance).
 */
export function outcomeAtPayment(input: {
  visitAt: Date | null;
  paidAt: Date;
  paidSubscriptionsBefore: number;
  attributionHours: number;
  rewardMinor: bigint;
}): VoidReason | null {
  if (!cameThroughInvite(input.visitAt)) return "no_link";
  if (!isNewSubscriber(input.paidSubscriptionsBefore)) return "not_new";
  if (!paidInTime(input.visitAt!, input.paidAt, input.attributionHours)) return "paid_late";
  if (input.rewardMinor === 0n) return "no_cash_paid";
  return null;
}
