import type { Tx } from "../db";
import { post, system, userCash, userCredits } from "../ledger";
import { applyPaidInvoice } from "./subscription-effects";

/**
 * Marks an open invoice paid and applies what it bought. The card part (if
 * any) is posted from payments clearing: to the cash balance for a top-up and
 * the card-minimum excess, to revenue for the rest. Unused value beyond a new
 * plan's price goes to the cash balance (SUB-4). Idempotent: a paid invoice is
 * left alone.
 */
export async function settleInvoice(tx: Tx, invoiceId: string, now: Date) {
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: invoiceId }, include: { lines: true } });
  if (invoice.status !== "open") return invoice;
  const line = (kind: string) => invoice.lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.amountMinor, 0n);
  const { userId, currency } = invoice;
  const card = invoice.cardMinor;
  if (card > 0n) {
    const toCash = invoice.kind === "top_up" ? card : line("excess_to_cash") - unusedExcess(invoice.lines);
    await post(tx, {
      idempotencyKey: `invoice:${invoice.id}:card`,
      kind: "card_payment",
      userId,
      invoiceId,
      at: now,
      entries: [
        { account: system("payments_clearing", currency), amountMinor: -card },
        { account: userCash(userId, currency), amountMinor: toCash },
        { account: system("revenue", currency), amountMinor: card - toCash },
      ],
    });
  }
  const excessUnused = unusedExcess(invoice.lines);
  if (excessUnused > 0n) {
    await post(tx, {
      idempotencyKey: `invoice:${invoice.id}:unused-to-cash`,
      kind: "proration_excess",
      userId,
      invoiceId,
      at: now,
      entries: [
        { account: system("revenue", currency), amountMinor: -excessUnused },
        { account: userCash(userId, currency), amountMinor: excessUnused },
      ],
    });
  }
  const paid = await tx.invoice.update({ where: { id: invoiceId }, data: { status: "paid", paidAt: now } });
  await applyPaidInvoice(tx, { ...paid, lines: invoice.lines }, now);
  return paid;
}

/** The part of the proration credit that exceeds the new price (SUB-4). */
function unusedExcess(lines: { kind: string; amountMinor: bigint }[]): bigint {
  const plan = lines.filter((l) => l.kind === "plan" || l.kind.endsWith("_discount")).reduce((s, l) => s + l.amountMinor, 0n);
  const unused = -lines.filter((l) => l.kind === "proration_credit").reduce((s, l) => s + l.amountMinor, 0n);
  return unused > plan ? unused - plan : 0n;
}

/** An invoice whose card part failed for good: the wallet part goes back, nothing is bought. */
export async function voidInvoice(tx: Tx, invoiceId: string, now: Date) {
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: invoiceId }, include: { lines: true } });
  if (invoice.status !== "open") return { ...invoice, voidedNow: false };
  const credits = -invoice.lines.filter((l) => l.kind === "credits_applied").reduce((s, l) => s + l.amountMinor, 0n);
  const cash = -invoice.lines.filter((l) => l.kind === "cash_applied").reduce((s, l) => s + l.amountMinor, 0n);
  if (credits + cash > 0n) {
    await post(tx, {
      idempotencyKey: `invoice:${invoice.id}:wallet-reversal`,
      kind: "invoice_void",
      userId: invoice.userId,
      invoiceId,
      at: now,
      entries: [
        { account: system("revenue", invoice.currency), amountMinor: -(credits + cash) },
        { account: userCredits(invoice.userId, invoice.currency), amountMinor: credits },
        { account: userCash(invoice.userId, invoice.currency), amountMinor: cash },
      ],
    });
  }
  return { ...(await tx.invoice.update({ where: { id: invoiceId }, data: { status: "void" } })), voidedNow: true };
}
