import type { Tx } from "../db";
import { post, system, userCash, userCredits } from "../ledger";
import type { InvoiceDraft } from "./invoice-draft";

/**
 * Stores a drafted invoice and posts its wallet part (credits and cash to
 * revenue), all in the caller's transaction. Returns the existing invoice
 * instead when one with the same idempotency key exists: the operation was
 * already issued.
 */
export async function issueInvoice(tx: Tx, draft: InvoiceDraft, now: Date) {
  const existing = await tx.invoice.findUnique({ where: { idempotencyKey: draft.idempotencyKey } });
  if (existing) return { invoice: existing, created: false };
  const invoice = await tx.invoice.create({
    data: {
      userId: draft.userId,
      subscriptionId: draft.subscriptionId,
      kind: draft.kind,
      status: "open",
      currency: draft.currency,
      totalMinor: draft.totalMinor,
      cardMinor: draft.deduction.cardMinor,
      tier: draft.tier,
      cycle: draft.cycle,
      planVersionId: draft.planVersionId,
      periodStart: draft.periodStart,
      periodEnd: draft.periodEnd,
      idempotencyKey: draft.idempotencyKey,
      createdAt: now,
      lines: { create: draft.lines.map((l) => ({ kind: l.kind, amountMinor: l.amountMinor })) },
    },
  });
  const { creditsMinor, cashMinor } = draft.deduction;
  if (creditsMinor + cashMinor > 0n) {
    await post(tx, {
      idempotencyKey: `invoice:${invoice.id}:wallet`,
      kind: "invoice_wallet",
      userId: draft.userId,
      invoiceId: invoice.id,
      at: now,
      entries: [
        { account: userCredits(draft.userId, draft.currency), amountMinor: -creditsMinor },
        { account: userCash(draft.userId, draft.currency), amountMinor: -cashMinor },
        { account: system("revenue", draft.currency), amountMinor: creditsMinor + cashMinor },
      ],
    });
  }
  return { invoice, created: true };
}
