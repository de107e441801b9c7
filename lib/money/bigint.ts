/** Integer division rounding up, for non-negative operands (customer-favour rounding). */
export function ceilDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n || a < 0n) throw new RangeError("ceilDiv expects a >= 0 and b > 0");
  return (a + b - 1n) / b;
}

export const min = (a: bigint, b: bigint) => (a < b ? a : b);
export const max = (a: bigint, b: bigint) => (a > b ? a : b);
