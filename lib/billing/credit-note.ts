import type { Tx } from "../db";
import { takeDocumentNumbers } from "./document-series";

type Refunded = { id: string; amountMinor: bigint; excessMinor: bigint; currency: string };
type CorrectedInvoice = { id: string; kind: string; userId: string };

/** The invoice lines a refund reverses, as positive amounts: what was sold, and (REFUND-1) the card-minimum excess apart. */
export function creditNoteLines(kind: string, refund: Refunded) {
  if (kind === "top_up" || kind === "pack") return [{ kind, amountMinor: refund.amountMinor }];
  return [
    { kind: "plan", amountMinor: refund.amountMinor - refund.excessMinor },
    { kind: "excess_to_cash", amountMinor: refund.excessMinor },
  ].filter((l) => l.amountMinor > 0n);
}

/**
 * INV-1: a refund that went through issues a credit note, numbered in its
 * region's credit-note series for the year, with the lines it reverses and
 * a reference to its invoice. Runs in the transaction that completes the
 * refund (which happens once), so a refund has at most one credit note and a
 * refund the processor refused takes no number.
 */
export async function issueCreditNote(tx: Tx, refund: Refunded, invoice: CorrectedInvoice, now: Date) {
  const { region } = await tx.user.findUniqueOrThrow({ where: { id: invoice.userId }, select: { region: true } });
  const numbers = await takeDocumentNumbers(tx, "credit_note", [{ key: refund.id, region }], now);
  return tx.creditNote.create({
    data: {
      number: numbers.get(refund.id)!,
      refundId: refund.id,
      invoiceId: invoice.id,
      userId: invoice.userId,
      currency: refund.currency,
      amountMinor: refund.amountMinor,
      issuedAt: now,
      lines: {
        create: creditNoteLines(invoice.kind, refund).map((l) => ({
          kind: l.kind as "plan",
          amountMinor: l.amountMinor,
        })),
      },
    },
  });
}
