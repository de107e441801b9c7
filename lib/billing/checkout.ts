import { jsonRows } from "../db/json-rows";
import type { ChargeResult, PayChoice } from "../payments";
import type { Cycle, Tier } from "./types";
import { loadCatalog } from "./catalog-load";
import { admitCharges } from "./charge-guard";
import { TX_OPTIONS, type BillingDeps } from "./deps";
import { advanceDunning } from "./dunning";
import { creditLatePayments } from "./late-payment";
import { settleInvoices, voidInvoices } from "./invoice-settle";
import { releaseStockOf } from "./stock-release";

export type PaymentOutcome =
  | { status: "paid"; invoiceId: string }
  /** `qr`: a WeChat Pay code to show in the app rather than a page to go to (PAY-3). */
  | { status: "requires_action"; invoiceId: string; actionUrl: string; qr?: boolean }
  | { status: "pending"; invoiceId: string }
  | { status: "failed"; invoiceId: string; code: string };

type OpenInvoice = {
  id: string;
  kind: string;
  idempotencyKey: string;
  userId: string;
  cardMinor: bigint;
  currency: string;
  number: bigint;
  attempts: number;
};
/** A plan bought at the checkout (subscribe, buy again, upgrade); the form's request id makes a double submit one purchase. */
export type PlanPurchase = {
  userId: string;
  tier: Tier;
  cycle: Cycle;
  requestId: string;
  returnUrl?: string;
} & PayChoice;

export type Charge = { invoice: OpenInvoice; key: string };

/** The failure code of a payment that went through for an order already given up: its money is in the cash balance. */
export const LATE_PAYMENT_CREDITED = "late_payment_credited";

/** Where 3-D Secure returns the customer when a caller names no page (the app always does, with its own URL). */
export const DEFAULT_RETURN_URL = "http://localhost/payments/return";

/**
 * The key of an invoice's card charge, and so of its processor call. A
 * renewal's first charge reuses the renewal's key
 * (`renewal:<subscription>:<period>`), each dunning retry adds its number; any
 * other invoice is charged once, under its id.
 */
export const scheduledChargeKey = (inv: Pick<OpenInvoice, "id" | "kind" | "idempotencyKey" | "attempts">) =>
  inv.kind !== "renewal"
    ? `invoice:${inv.id}`
    : inv.attempts === 0
      ? inv.idempotencyKey
      : `${inv.idempotencyKey}:retry-${inv.attempts}`;

/**
 * Charges an open invoice's card part and settles or voids it (see
 * chargeInvoices). `requestId` makes a customer's "pay now" on an overdue
 * renewal its own charge, apart from the scheduled ones.
 */
export async function payInvoiceCard(
  deps: BillingDeps,
  invoiceId: string,
  returnUrl: string,
  requestId?: string,
  pay: PayChoice = {},
): Promise<PaymentOutcome> {
  const invoice = await deps.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  if (invoice.status === "paid") return { status: "paid", invoiceId };
  if (invoice.status === "void") return { status: "failed", invoiceId, code: "invoice_void" };
  const key = requestId ? `invoice:${invoice.id}:pay:${requestId}` : scheduledChargeKey(invoice);
  return (await chargeInvoices(deps, [{ invoice, key }], "on_session", returnUrl, pay)).get(invoiceId)!;
}

/**
 * Charges open invoices' card parts through the payment port, then records
 * what happened (recordChargeResults). The port calls are outside any
 * transaction (a slow processor must not hold row locks) and carry each
 * charge's key, so running this again after a crash asks the processor for the
 * same charges, never second ones. A processor that cannot answer (429, 5xx)
 * throws PaymentUnavailableError and nothing is recorded: the caller retries.
 * The charges are admitted first (charge-guard.ts): none goes out for a banned
 * account or an invoice that is no longer open (SUB-7).
 */
export async function chargeInvoices(
  deps: BillingDeps,
  charges: Charge[],
  mode: "on_session" | "off_session",
  returnUrl = DEFAULT_RETURN_URL,
  pay: PayChoice = {},
): Promise<Map<string, PaymentOutcome>> {
  if (charges.length === 0) return new Map();
  const { allowed, refused } = await deps.db.$transaction(async (tx) => {
    const admitted = await admitCharges(tx, charges, deps.now);
    // INSERT … ON CONFLICT DO NOTHING: two callers paying the same invoice at once both go on, to the same charge.
    await tx.payment.createMany({
      data: admitted.allowed.map(({ invoice, key }) => ({
        invoiceId: invoice.id,
        provider: deps.port.name,
        idempotencyKey: key,
        amountMinor: invoice.cardMinor,
        currency: invoice.currency,
        status: "pending" as const,
        offSession: mode === "off_session",
        createdAt: deps.now,
        updatedAt: deps.now,
      })),
      skipDuplicates: true,
    });
    return admitted;
  }, TX_OPTIONS);
  const results = await Promise.all(
    allowed.map(async ({ invoice: inv, key }) => {
      const request = {
        idempotencyKey: key,
        userId: inv.userId,
        invoiceId: inv.id,
        amountMinor: inv.cardMinor,
        currency: inv.currency,
        description: `CodePlan invoice ${inv.number}`,
      };
      const result =
        mode === "off_session"
          ? await deps.port.chargeOffSession(request)
          : await deps.port.startOnSession({ ...request, ...pay, returnUrl });
      return { invoiceId: inv.id, idempotencyKey: key, result };
    }),
  );
  const outcomes = results.length ? await recordChargeResults(deps, results) : new Map<string, PaymentOutcome>();
  for (const [id, outcome] of refused) outcomes.set(id, outcome);
  return outcomes;
}

const outcomeOf = (invoiceId: string, result: ChargeResult): PaymentOutcome =>
  result.status === "succeeded"
    ? { status: "paid", invoiceId }
    : result.status === "requires_action"
      ? { status: "requires_action", invoiceId, actionUrl: result.actionUrl, ...(result.qrData && { qr: true }) }
      : result.status === "pending"
        ? { status: "pending", invoiceId }
        : { status: "failed", invoiceId, code: result.code };

/**
 * Applies charge results exactly once, whoever reports them (the processor's
 * answer, a webhook, the return from 3-D Secure) and in whatever order (PAY-2).
 * A payment only moves forward: pending → requires_action → succeeded or
 * failed, and a failed one can still succeed; a success is final. Only the
 * payments this call moved have effects:
 * - succeeded: the invoice is settled; if it was already settled or voided,
 *   the money goes to the cash balance (nothing taken is ever lost);
 * - failed, on a scheduled renewal charge: the next dunning step (SUB-2);
 * - failed, otherwise: the invoice is voided (a customer-started payment
 *   on an overdue renewal leaves it open for the next try).
 */
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
    const moved = await tx.$queryRaw<
      { key: string; status: string; off_session: boolean; invoice_id: string; amount_minor: bigint; kind: string }[]
    >`
      UPDATE "payments" p SET "status" = x.status::"PaymentStatus",
        "provider_payment_id" = COALESCE(x.provider_id, p."provider_payment_id"), "failure_code" = x.failure, "updated_at" = ${deps.now}
      FROM jsonb_to_recordset(${jsonRows(rows)}::jsonb) AS x(key text, status text, provider_id text, failure text), "invoices" i
      WHERE p."idempotency_key" = x.key AND i."id" = p."invoice_id" AND p."status" <> 'succeeded'
        AND (x.status = 'succeeded'
          OR (x.status = 'failed' AND p."status" IN ('pending', 'requires_action'))
          OR (x.status = 'requires_action' AND p."status" = 'pending'))
      RETURNING p."idempotency_key" AS key, p."status"::text AS status, p."off_session", p."invoice_id"::text, p."amount_minor", i."kind"::text AS kind`;

    const succeeded = moved.filter((m) => m.status === "succeeded");
    const settled = new Set(
      (await settleInvoices(tx, [...new Set(succeeded.map((m) => m.invoice_id))], deps.now)).map((i) => i.id),
    );
    // One success settles its invoice; any other success on it (or one on a voided invoice) is money to give back as cash.
    const late: typeof succeeded = [];
    for (const m of succeeded) {
      if (settled.delete(m.invoice_id)) continue;
      late.push(m);
    }
    await creditLatePayments(
      tx,
      late.map((m) => ({ paymentKey: m.key, invoiceId: m.invoice_id, amountMinor: BigInt(m.amount_minor) })),
      deps.now,
    );

    const failed = moved.filter((m) => m.status === "failed");
    const failure = new Map(rows.map((r) => [r.key, r.failure ?? "card_declined"]));
    await advanceDunning(
      tx,
      failed
        .filter((m) => m.kind === "renewal" && m.off_session)
        .map((m) => ({ invoiceId: m.invoice_id, code: failure.get(m.key)! })),
      deps.now,
    );
    const voided = await voidInvoices(
      tx,
      failed.filter((m) => m.kind !== "renewal").map((m) => m.invoice_id),
      deps.now,
    );
    // A purchase that was never paid gives its unit of today's stock back (SUB-8).
    if (stock) await releaseStockOf(tx, voided, stock);
    // REL-1: a success on an invoice that is void (the order was given up while the charge was on its way) bought
    // nothing: the money went to the cash balance, and that, not "paid", is what the customer is told.
    const successes = results.filter((r) => r.result.status === "succeeded").map((r) => r.invoiceId);
    const lapsed = new Set(
      successes.length
        ? (await tx.invoice.findMany({ where: { id: { in: successes }, status: "void" }, select: { id: true } })).map(
            (i) => i.id,
          )
        : [],
    );
    return new Map(
      results.map(({ invoiceId, result }): [string, PaymentOutcome] => [
        invoiceId,
        lapsed.has(invoiceId)
          ? { status: "failed", invoiceId, code: LATE_PAYMENT_CREDITED }
          : outcomeOf(invoiceId, result),
      ]),
    );
  }, TX_OPTIONS);
}
