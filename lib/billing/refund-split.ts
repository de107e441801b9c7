/**
 * REFUND-1, pure: which part of a card refund reverses the card-minimum
 * excess (WALLET-1: of a 0.50 charge, 0.30 went to the cash balance) and which
 * part paid for the plan. Each refund takes the excess in proportion to the
 * card charge, counted over the payment's refunds so far, so partial refunds
 * that add up to the whole charge take back exactly the whole excess, and the
 * plan part alone shortens the period (SUB-4's "paid for the period").
 * Rounding is down on the running total: no refund takes more excess than
 * its share.
 */
export function excessPartOf(p: {
  cardMinor: bigint;
  excessMinor: bigint;
  refundedBeforeMinor: bigint;
  excessBeforeMinor: bigint;
  refundMinor: bigint;
}): bigint {
  if (p.excessMinor <= 0n || p.cardMinor <= 0n) return 0n;
  const target = ((p.refundedBeforeMinor + p.refundMinor) * p.excessMinor) / p.cardMinor;
  const part = target - p.excessBeforeMinor;
  if (part <= 0n) return 0n;
  return part < p.refundMinor ? part : p.refundMinor;
}

/** The excess part comes back out of the cash balance, never below zero; what is no longer there is the shortfall. */
export function cashTakeOf(excessPartMinor: bigint, cashMinor: bigint) {
  const takeMinor = excessPartMinor < cashMinor ? excessPartMinor : cashMinor > 0n ? cashMinor : 0n;
  return { takeMinor, shortfallMinor: excessPartMinor - takeMinor };
}
