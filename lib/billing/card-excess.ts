type Line = { kind: string; amountMinor: bigint };
const sum = (lines: Line[], kind: string) =>
  lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.amountMinor, 0n);

/** The part of the proration credit that exceeds the new price (SUB-4). */
export function unusedExcess(lines: Line[]): bigint {
  const plan = lines
    .filter((l) => l.kind === "plan" || l.kind.endsWith("_discount"))
    .reduce((s, l) => s + l.amountMinor, 0n);
  const unused = -sum(lines, "proration_credit");
  return unused > plan ? unused - plan : 0n;
}

/**
 * What of an invoice's card charge went to the cash balance: all of it for a
 * top-up, the card-minimum excess (WALLET-1) for a plan. Settlement posts it
 * and a refund takes it back (REFUND-1).
 */
export function cardToCash(inv: { kind: string; cardMinor: bigint; lines: Line[] }): bigint {
  if (inv.cardMinor <= 0n) return 0n;
  return inv.kind === "top_up" ? inv.cardMinor : sum(inv.lines, "excess_to_cash") - unusedExcess(inv.lines);
}
