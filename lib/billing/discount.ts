import { ceilDiv } from "../money/bigint";

/**
 * Percentage discounts in basis points, applied one after another on what is
 * left (REF-4's worked example: 100 → 50 % → 50 → 10 % → 45). Each is rounded
 * up to the minor unit, in the customer's favour.
 */
export function applyDiscounts(priceMinor: bigint, discounts: { kind: string; bps: number }[]) {
  let rest = priceMinor;
  const lines: { kind: string; amountMinor: bigint }[] = [];
  for (const d of discounts) {
    if (!Number.isInteger(d.bps) || d.bps < 0 || d.bps > 10000) throw new RangeError("discount out of range");
    if (d.bps === 0) continue;
    const amountMinor = ceilDiv(rest * BigInt(d.bps), 10000n);
    rest -= amountMinor;
    lines.push({ kind: d.kind, amountMinor });
  }
  return { totalMinor: rest, lines };
}

/** The first-order discount goes to a subscriber who has never paid for a subscription. */
export function firstOrderDiscounts(isFirstOrder: boolean, bps: number) {
  return isFirstOrder && bps > 0 ? [{ kind: "first_order_discount", bps }] : [];
}
