/**
 * BILL-3: who pays a pay-as-you-go fee. Resource packs first, the one that
 * expires soonest first (ties: the older pack, then its id); what they do not
 * cover is split between the cash and the bonus (credits) balance in
 * proportion to them, PRODUCT.md's rule for the odd minor unit: with cash c
 * and bonus b, a rest r takes floor(r × c ÷ (c + b)) from cash and the rest
 * from bonus. A fee the three cannot cover is refused whole (1113).
 */
export type PackBalance = { id: string; remainingMinor: bigint; expiresAt: Date; createdAt: Date };
export type FeeSplit = { packs: { id: string; amountMinor: bigint }[]; cashMinor: bigint; bonusMinor: bigint };

export function splitFee(input: {
  feeMinor: bigint;
  packs: PackBalance[];
  cashMinor: bigint;
  bonusMinor: bigint;
  now: Date;
}): FeeSplit | null {
  const { feeMinor, cashMinor: c, bonusMinor: b } = input;
  if (feeMinor < 0n || c < 0n || b < 0n) throw new RangeError("amounts must not be negative");
  const usable = input.packs
    .filter((p) => p.remainingMinor > 0n && p.expiresAt.getTime() > input.now.getTime())
    .sort(
      (x, y) =>
        x.expiresAt.getTime() - y.expiresAt.getTime() ||
        x.createdAt.getTime() - y.createdAt.getTime() ||
        (x.id < y.id ? -1 : 1),
    );
  const packs: FeeSplit["packs"] = [];
  let rest = feeMinor;
  for (const p of usable) {
    if (rest === 0n) break;
    const take = p.remainingMinor < rest ? p.remainingMinor : rest;
    packs.push({ id: p.id, amountMinor: take });
    rest -= take;
  }
  if (rest > c + b) return null;
  if (rest === 0n) return { packs, cashMinor: 0n, bonusMinor: 0n };
  const cashPart = (rest * c) / (c + b);
  return { packs, cashMinor: cashPart, bonusMinor: rest - cashPart };
}
