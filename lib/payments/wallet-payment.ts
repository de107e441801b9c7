import { recordChargeResults, type BillingDeps } from "../billing";

/** Where a customer's on-the-spot payment of an invoice stands, for the WeChat Pay code page (PAY-3). Reads only. */
export type WalletPaymentView =
  | { status: "paid" }
  | { status: "failed"; code: string }
  | { status: "waiting"; amountMinor: bigint; currency: string; qrData: string | null };

async function latestPayment(deps: Pick<BillingDeps, "db">, userId: string, invoiceId: string) {
  const invoice = await deps.db.invoice.findFirst({
    where: { id: invoiceId, userId },
    include: { payments: { where: { offSession: false }, orderBy: { createdAt: "desc" }, take: 1 } },
  });
  return invoice ? { invoice, payment: invoice.payments[0] ?? null } : null;
}

/**
 * The invoice's state as the database has it (the webhook settles it), and
 * while it waits, the code to scan as the processor reports it. Someone
 * else's invoice looks like an unknown one.
 */
export async function walletPaymentView(
  deps: BillingDeps,
  userId: string,
  invoiceId: string,
): Promise<WalletPaymentView | null> {
  const found = await latestPayment(deps, userId, invoiceId);
  if (!found) return null;
  const { invoice, payment } = found;
  if (invoice.status === "paid") return { status: "paid" };
  if (invoice.status === "void" || !payment?.providerPaymentId)
    return { status: "failed", code: payment?.failureCode ?? "canceled" };
  const now = await deps.port.paymentStatus(payment.providerPaymentId);
  if (now.status === "failed") return { status: "failed", code: now.code };
  // Paid at the processor, the webhook not in yet: still waiting, a moment more.
  return {
    status: "waiting",
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    qrData: now.status === "requires_action" ? (now.qrData ?? null) : null,
  };
}

/**
 * The buyer gives up a payment still waiting at a wallet (a WeChat Pay code
 * not scanned, an Alipay page left): it is canceled at the processor and
 * recorded like a failed charge, so the order is voided, what the wallet
 * part took comes back and nothing is granted. One that was paid meanwhile
 * stays paid.
 */
export async function cancelWalletPayment(
  deps: BillingDeps,
  userId: string,
  invoiceId: string,
): Promise<{ ok: true } | { ok: false; code: string }> {
  const found = await latestPayment(deps, userId, invoiceId);
  if (!found?.payment?.providerPaymentId) return { ok: false, code: "unknown_payment" };
  const { payment } = found;
  const result = await deps.port.cancelPayment(payment.providerPaymentId!);
  await recordChargeResults(deps, [{ invoiceId, idempotencyKey: payment.idempotencyKey, result }]);
  return result.status === "succeeded" ? { ok: false, code: "already_paid" } : { ok: true };
}

/** The app's page showing an invoice's WeChat Pay code; `next` is where the buyer lands when it is settled. */
export const wechatPayPath = (invoiceId: string, next: string) =>
  `/payments/wechat/${invoiceId}?next=${encodeURIComponent(next)}`;

/** Where the browser goes for a payment step: the processor's page (3-D Secure, Alipay), or the app's code page (WeChat Pay). */
export const paymentStepUrl = (outcome: { invoiceId: string; actionUrl: string; qr?: boolean }, next: string) =>
  outcome.qr ? wechatPayPath(outcome.invoiceId, next) : outcome.actionUrl;
