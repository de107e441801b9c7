import { jsonRows } from "../db/json-rows";
import type { ChargeResult } from "../payments";
import { loadCatalog } from "./catalog-load";
import { TX_OPTIONS, type BillingDeps } from "./deps";
import { settleInvoices, voidInvoices } from "./invoice-settle";
import { releaseStockUnit } from "./stock";

export type PaymentOutcome =
  | { status: "paid"; invoiceId: string }
  | { status: "requires_action"; invoiceId: string; actionUrl: string }
  | { status: "failed"; invoiceId: string; code: string };

type OpenInvoice = { id: string; kind: string; idempotencyKey: string; userId: string; cardMinor: bigint; currency: string; number: bigint };

/** The charge's key: a renewal's own key (`renewal:<subscription>:<period>`), otherwise the invoice's. */
const chargeKey = (inv: OpenInvoice) => (inv.kind === "renewal" ? inv.idempotencyKey : `invoice:${inv.id}`);

/** Charges an open invoice's card part and settles or voids it (see chargeInvoices). */
export async function payInvoiceCard(deps: BillingDeps, invoiceId: string, mode: "on_session" | "off_session", returnUrl = "/subscription") {
  const invoice = await deps.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  if (invoice.status === "paid") return { status: "paid", invoiceId } as PaymentOutcome;
  if (invoice.status === "void") return { status: "failed", invoiceId, code: "invoice_void" } as PaymentOutcome;
  return (await chargeInvoices(deps, [invoice], mode, returnUrl)).get(invoiceId)!;
}

/**
 * Charges open invoices' card parts through the payment port, then settles the
 * paid ones and voids the declined ones in one transaction. The port calls are
 * outside any transaction (a slow processor must not hold row locks) and carry
 * each invoice's key, so running this again after a crash asks the processor
 * for the same charges, never second ones.
 */
export async function chargeInvoices(
  deps: BillingDeps,
  invoices: OpenInvoice[],
  mode: "on_session" | "off_session",
  returnUrl = "/subscription",
): Promise<Map<string, PaymentOutcome>> {
  if (invoices.length === 0) return new Map();
  // INSERT … ON CONFLICT DO NOTHING: two callers paying the same invoice at once both go on, to the same charge.
  await deps.db.payment.createMany({
    data: invoices.map((inv) => ({
      invoiceId: inv.id,
      provider: deps.port.name,
      idempotencyKey: chargeKey(inv),
      amountMinor: inv.cardMinor,
      currency: inv.currency,
      status: "pending" as const,
      createdAt: deps.now,
      updatedAt: deps.now,
    })),
    skipDuplicates: true,
  });
  const results = await Promise.all(
    invoices.map(async (inv) => {
      const request = { idempotencyKey: chargeKey(inv), userId: inv.userId, amountMinor: inv.cardMinor, currency: inv.currency, description: `CodePlan invoice ${inv.number}` };
      const result = mode === "off_session" ? await deps.port.chargeOffSession(request) : await deps.port.startOnSession({ ...request, returnUrl });
      return { invoiceId: inv.id, idempotencyKey: request.idempotencyKey, result };
    }),
  );
  return recordChargeResults(deps, results);
}

/** Applies charge results exactly once: each invoice is settled, left waiting (3-D Secure), or voided. */
export async function recordChargeResults(
  deps: BillingDeps,
  results: { invoiceId: string; idempotencyKey: string; result: ChargeResult }[],
): Promise<Map<string, PaymentOutcome>> {
  const stock = results.some((r) => r.result.status === "failed") ? (await loadCatalog(deps.db)).stock : null;
  return deps.db.$transaction(async (tx) => {
    const rows = results.map(({ idempotencyKey, result }) => ({
      key: idempotencyKey,
      status: result.status,
      provider_id: result.providerPaymentId ?? null,
      failure: result.status === "failed" ? result.code : null,
    }));
    await tx.$executeRaw`UPDATE "payments" p SET "status" = x.status::"PaymentStatus",
        "provider_payment_id" = COALESCE(x.provider_id, p."provider_payment_id"), "failure_code" = x.failure, "updated_at" = ${deps.now}
      FROM jsonb_to_recordset(${jsonRows(rows)}::jsonb) AS x(key text, status text, provider_id text, failure text)
      WHERE p."idempotency_key" = x.key`;
    await settleInvoices(tx, results.filter((r) => r.result.status === "succeeded").map((r) => r.invoiceId), deps.now);
    const voided = await voidInvoices(tx, results.filter((r) => r.result.status === "failed").map((r) => r.invoiceId), deps.now);
    // A new subscription that was never paid gives its unit of today's stock back (SUB-8).
    for (const inv of voided) if (inv.kind === "subscribe" && inv.tier && stock) await releaseStockUnit(tx, inv.tier, inv.createdAt, stock);
    return new Map(
      results.map(({ invoiceId, result }): [string, PaymentOutcome] => [
        invoiceId,
        result.status === "succeeded"
          ? { status: "paid", invoiceId }
          : result.status === "requires_action"
            ? { status: "requires_action", invoiceId, actionUrl: result.actionUrl }
            : { status: "failed", invoiceId, code: result.code },
      ]),
    );
  }, TX_OPTIONS);
}
