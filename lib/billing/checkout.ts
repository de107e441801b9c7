import type { ChargeResult } from "../payments";
import { TX_OPTIONS, type BillingDeps } from "./deps";
import { loadCatalog } from "./catalog-load";
import { settleInvoice, voidInvoice } from "./invoice-settle";
import { releaseStockUnit } from "./stock";

export type PaymentOutcome =
  | { status: "paid"; invoiceId: string }
  | { status: "requires_action"; invoiceId: string; actionUrl: string }
  | { status: "failed"; invoiceId: string; code: string };

/**
 * Charges an open invoice's card part through the payment port and settles or
 * voids it. The port call is outside any transaction (a slow processor must
 * not hold row locks) and carries the invoice's key, so running this again
 * after a crash asks the processor for the same charge, never a second one.
 */
export async function payInvoiceCard(
  deps: BillingDeps,
  invoiceId: string,
  mode: "on_session" | "off_session",
  returnUrl = "/subscription",
): Promise<PaymentOutcome> {
  const invoice = await deps.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  if (invoice.status === "paid") return { status: "paid", invoiceId };
  if (invoice.status === "void") return { status: "failed", invoiceId, code: "invoice_void" };
  const idempotencyKey = invoice.kind === "renewal" ? invoice.idempotencyKey : `invoice:${invoice.id}`;
  // INSERT … ON CONFLICT DO NOTHING: two callers paying the same invoice at once both go on, to the same charge.
  await deps.db.payment.createMany({
    data: [
      {
        invoiceId,
        provider: deps.port.name,
        idempotencyKey,
        amountMinor: invoice.cardMinor,
        currency: invoice.currency,
        status: "pending",
        createdAt: deps.now,
        updatedAt: deps.now,
      },
    ],
    skipDuplicates: true,
  });
  const request = {
    idempotencyKey,
    userId: invoice.userId,
    amountMinor: invoice.cardMinor,
    currency: invoice.currency,
    description: `CodePlan invoice ${invoice.number}`,
  };
  const result: ChargeResult =
    mode === "off_session" ? await deps.port.chargeOffSession(request) : await deps.port.startOnSession({ ...request, returnUrl });
  return recordChargeResult(deps, invoiceId, idempotencyKey, result);
}

/** Applies a charge's result exactly once: the invoice is settled, left waiting, or voided. */
export async function recordChargeResult(deps: BillingDeps, invoiceId: string, idempotencyKey: string, result: ChargeResult): Promise<PaymentOutcome> {
  return deps.db.$transaction(async (tx) => {
    await tx.payment.update({
      where: { idempotencyKey },
      data: {
        status: result.status,
        providerPaymentId: result.providerPaymentId ?? undefined,
        failureCode: result.status === "failed" ? result.code : null,
        updatedAt: deps.now,
      },
    });
    if (result.status === "succeeded") {
      await settleInvoice(tx, invoiceId, deps.now);
      return { status: "paid" as const, invoiceId };
    }
    if (result.status === "requires_action") return { status: "requires_action" as const, invoiceId, actionUrl: result.actionUrl };
    const voided = await voidInvoice(tx, invoiceId, deps.now);
    // A new subscription that was never paid gives its unit of today's stock back (SUB-8).
    if (voided.voidedNow && voided.kind === "subscribe" && voided.tier) await releaseStockUnit(tx, voided.tier, voided.createdAt, (await loadCatalog(tx)).stock);
    return { status: "failed" as const, invoiceId, code: result.code };
  }, TX_OPTIONS);
}
