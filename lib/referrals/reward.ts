/**
 * REF-4: the inviter earns a share of what the friend actually paid in money
 * for the first order: after every discount, without the credits the friend
 * spent, net of refunds. Rounded down to the minor unit (10 % of 40.05 is 4.00).
 */

type Line = { kind: string; amountMinor: bigint };

/**
 * The money part of an order: its total after discounts less the credits
 * applied. The cash balance and the card count as money; a card-minimum
 * excess that went back to the cash balance is not payment (it stays the friend's).
 */
export function cashPaidOf(totalMinor: bigint, lines: Line[]): bigint {
  const credits = -lines.filter((l) => l.kind === "credits_applied").reduce((s, l) => s + l.amountMinor, 0n);
  const paid = totalMinor - credits;
  return paid > 0n ? paid : 0n;
}

export function rewardFor(cashPaidMinor: bigint, refundedMinor: bigint, rewardBps: number): bigint {
  if (!Number.isInteger(rewardBps) || rewardBps < 0 || rewardBps > 10000)
    throw new RangeError("reward share out of range");
  const net = cashPaidMinor - refundedMinor;
  if (net <= 0n) return 0n;
  return (net * BigInt(rewardBps)) / 10000n;
}

/**
 * After issuance, what a refund or dispute takes back: the reward it no longer
 * earns, less what was settled already (taken back or recorded as shortfall). The inviter's credits never go below
 * zero: what they no longer hold is the shortfall, recorded rather than hidden.
 */
export function clawbackFor(input: {
  issuedMinor: bigint;
  earnedNowMinor: bigint;
  takenMinor: bigint;
  creditsMinor: bigint;
}) {
  const owed = input.issuedMinor - input.earnedNowMinor - input.takenMinor;
  if (owed <= 0n) return { takeMinor: 0n, shortfallMinor: 0n };
  const takeMinor = owed < input.creditsMinor ? owed : input.creditsMinor > 0n ? input.creditsMinor : 0n;
  return { takeMinor, shortfallMinor: owed - takeMinor };
}
