import { ceilDiv, min } from "../money/bigint";

/**
 * SUB-4: the unused value of the current period = paid × remaining ÷ period,
 * in whole seconds, rounded up to the minor unit (the customer's favour).
 * Remaining seconds round up too, so a started second counts as unused.
 */
export function unusedValue(paidMinor: bigint, periodStart: Date, periodEnd: Date, now: Date): bigint {
  const total = BigInt(Math.ceil((periodEnd.getTime() - periodStart.getTime()) / 1000));
  if (total <= 0n || paidMinor <= 0n) return 0n;
  let remaining = BigInt(Math.ceil((periodEnd.getTime() - now.getTime()) / 1000));
  if (remaining < 0n) remaining = 0n;
  if (remaining > total) remaining = total;
  return ceilDiv(paidMinor * remaining, total);
}

export type UpgradeQuote = {
  /** Unused value of the old period (SUB-4). */
  unusedMinor: bigint;
  /** The part of it set against the new price. */
  creditAppliedMinor: bigint;
  /** What is left to pay: newPrice − creditApplied. */
  chargeMinor: bigint;
  /** Unused value beyond the new price, which goes to the cash balance (SUB-4). */
  excessToCashMinor: bigint;
};

export function quoteUpgrade(input: {
  paidMinor: bigint;
  periodStart: Date;
  periodEnd: Date;
  newPriceMinor: bigint;
  now: Date;
}): UpgradeQuote {
  const unusedMinor = unusedValue(input.paidMinor, input.periodStart, input.periodEnd, input.now);
  const creditAppliedMinor = min(unusedMinor, input.newPriceMinor);
  return {
    unusedMinor,
    creditAppliedMinor,
    chargeMinor: input.newPriceMinor - creditAppliedMinor,
    excessToCashMinor: unusedMinor - creditAppliedMinor,
  };
}
