import type { DeductionPlan } from "./deduction";
import type { Cycle, Tier } from "./types";

export type InvoiceLineKind =
  | "plan"
  | "proration_credit"
  | "first_order_discount"
  | "credits_applied"
  | "cash_applied"
  | "card_charged"
  | "excess_to_cash"
  | "top_up"
  | "pack";

export type InvoiceLineDraft = { kind: InvoiceLineKind; amountMinor: bigint };

/** An invoice before it is stored: what is sold, for how much, and who pays which part. */
export type InvoiceDraft = {
  kind: "subscribe" | "renewal" | "upgrade" | "top_up" | "pack";
  idempotencyKey: string;
  userId: string;
  subscriptionId: string | null;
  currency: string;
  tier: Tier | null;
  cycle: Cycle | null;
  planVersionId: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  /** What the sources must cover: price − discounts − proration credit. */
  totalMinor: bigint;
  deduction: DeductionPlan;
  lines: InvoiceLineDraft[];
};

/**
 * The invoice lines of a plan sale. Signed so that they sum to zero once paid:
 * charges positive; discounts, credit and payments negative; what goes back
 * to the cash balance positive.
 */
export function planSaleLines(input: {
  priceMinor: bigint;
  discounts: { kind: string; amountMinor: bigint }[];
  unusedMinor?: bigint;
  excessUnusedMinor?: bigint;
  deduction: DeductionPlan;
}): InvoiceLineDraft[] {
  const d = input.deduction;
  const lines: InvoiceLineDraft[] = [
    { kind: "plan", amountMinor: input.priceMinor },
    ...input.discounts.map((x) => ({ kind: x.kind as InvoiceLineKind, amountMinor: -x.amountMinor })),
    { kind: "proration_credit", amountMinor: -(input.unusedMinor ?? 0n) },
    { kind: "credits_applied", amountMinor: -d.creditsMinor },
    { kind: "cash_applied", amountMinor: -d.cashMinor },
    { kind: "card_charged", amountMinor: -d.cardMinor },
    { kind: "excess_to_cash", amountMinor: (input.excessUnusedMinor ?? 0n) + d.excessToCashMinor },
  ];
  return lines.filter((l) => l.amountMinor !== 0n || l.kind === "plan");
}

/** What the subscriber paid for the period an invoice buys: price less discounts (SUB-4's "paid"). */
export function periodValue(lines: { kind: string; amountMinor: bigint }[]): bigint {
  return lines.filter((l) => l.kind === "plan" || l.kind.endsWith("_discount")).reduce((s, l) => s + l.amountMinor, 0n);
}

const PAYMENT_KINDS = new Set(["credits_applied", "cash_applied", "card_charged", "excess_to_cash"]);

/**
 * An invoice's lines as people read them: what is charged (plan, discounts,
 * unused value credited) down to the total, then how it was paid, as positive
 * amounts. Cash added back is a card-minimum excess when there is a card
 * charge (a payment detail), and otherwise unused value beyond the new price,
 * which belongs with the charges so that they add up to the total.
 */
export function splitInvoiceLines<L extends { kind: string; amountMinor: bigint }>(lines: L[]) {
  const hasCard = lines.some((l) => l.kind === "card_charged");
  const isPayment = (kind: string) => PAYMENT_KINDS.has(kind) && (kind !== "excess_to_cash" || hasCard);
  return {
    charges: lines.filter((l) => !isPayment(l.kind)),
    payments: lines
      .filter((l) => isPayment(l.kind))
      .map((l) => ({ ...l, amountMinor: l.kind === "excess_to_cash" ? l.amountMinor : -l.amountMinor })),
  };
}

/**
 * An invoice paid by card alone, for a sale outside the plans (a top-up, a
 * resource pack): one line for what is sold, one for the card charge.
 */
export function cardOnlyDraft(input: {
  kind: "top_up" | "pack";
  idempotencyKey: string;
  userId: string;
  currency: string;
  amountMinor: bigint;
}): InvoiceDraft {
  return {
    kind: input.kind,
    idempotencyKey: input.idempotencyKey,
    userId: input.userId,
    subscriptionId: null,
    currency: input.currency,
    tier: null,
    cycle: null,
    planVersionId: null,
    periodStart: null,
    periodEnd: null,
    totalMinor: input.amountMinor,
    deduction: { creditsMinor: 0n, cashMinor: 0n, cardMinor: input.amountMinor, excessToCashMinor: 0n },
    lines: [
      { kind: input.kind, amountMinor: input.amountMinor },
      { kind: "card_charged", amountMinor: -input.amountMinor },
    ],
  };
}
