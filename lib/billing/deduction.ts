import { min } from "../money/bigint";

export type DeductionPlan = {
  creditsMinor: bigint;
  cashMinor: bigint;
  /** What the payment method is charged, the card minimum included. */
  cardMinor: bigint;
  /** The part of the card charge above what was owed, added to cash (WALLET-1). */
  excessToCashMinor: bigint;
};

/**
 * WALLET-1: credits (bonus) first, then cash, then the payment method. A card
 * remainder under the minimum is charged at the minimum and the excess goes to
 * the cash balance. Never takes more from a balance than it holds.
 */
export function planDeduction(input: {
  amountMinor: bigint;
  creditsMinor: bigint;
  cashMinor: bigint;
  cardMinimumMinor: bigint;
}): DeductionPlan {
  if (input.amountMinor < 0n) throw new RangeError("amount must not be negative");
  const creditsMinor = min(input.amountMinor, input.creditsMinor > 0n ? input.creditsMinor : 0n);
  const afterCredits = input.amountMinor - creditsMinor;
  const cashMinor = min(afterCredits, input.cashMinor > 0n ? input.cashMinor : 0n);
  const rest = afterCredits - cashMinor;
  if (rest === 0n) return { creditsMinor, cashMinor, cardMinor: 0n, excessToCashMinor: 0n };
  const cardMinor = rest < input.cardMinimumMinor ? input.cardMinimumMinor : rest;
  return { creditsMinor, cashMinor, cardMinor, excessToCashMinor: cardMinor - rest };
}
