/**
 * REFUND-1, pure: what a refund does to the period it paid for. Refunding R of
 * the P paid for the period takes the matching share of the period off its
 * end (rounded to whole seconds in the customer's favour: the period keeps
 * no time it was not paid for). A refund of all of it, or a shortened end
 * already past, ends the subscription now.
 */
export function periodAfterRefund(p: {
  periodStart: Date;
  periodEnd: Date;
  paidMinor: bigint;
  refundMinor: bigint;
  now: Date;
}): { ends: "now" } | { ends: "shortened"; periodEnd: Date; paidMinor: bigint } {
  if (p.refundMinor <= 0n) throw new Error("a refund is positive");
  if (p.refundMinor >= p.paidMinor) return { ends: "now" };
  const lengthS = BigInt(Math.floor((p.periodEnd.getTime() - p.periodStart.getTime()) / 1000));
  // Ceiling division: the time removed is never less than the share refunded.
  const removedS = (lengthS * p.refundMinor + p.paidMinor - 1n) / p.paidMinor;
  const periodEnd = new Date(p.periodEnd.getTime() - Number(removedS) * 1000);
  if (periodEnd.getTime() <= p.now.getTime()) return { ends: "now" };
  return { ends: "shortened", periodEnd, paidMinor: p.paidMinor - p.refundMinor };
}
