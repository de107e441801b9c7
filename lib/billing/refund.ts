import { recordAudit } from "../audit/record";
import type { Tx } from "../db";
import { TX_OPTIONS, type BillingDeps } from "./deps";
import { walletOf } from "../ledger";
import { BillingError } from "./errors";
import { invoiceEffect } from "./invoice-effects";
import { applyRefundEffects, bookRefund, refundReversal } from "./refund-effects";
import { cashBackOf, splitPlanRefund } from "./refund-excess";
import { chinaCurrency, refundRefusal } from "./refund-policy";

// A pack is refunded out of what it still holds; pay-as-you-go, which sells packs, registers how (invoice-effects.ts).
const packLeftForRefund = (tx: Tx, invoiceId: string) => invoiceEffect("pack").refundable.left(tx, invoiceId);
const takeFromPack = (tx: Tx, packId: string, amountMinor: bigint) =>
  invoiceEffect("pack").refundable.take(tx, packId, amountMinor);

async function lockPayment(tx: Tx, where: { id: string } | { providerPaymentId: string }) {
  const rows =
    "id" in where
      ? await tx.$queryRaw<
          { id: string }[]
        >`SELECT "id"::text FROM "payments" WHERE "id" = ${where.id}::uuid FOR UPDATE`
      : await tx.$queryRaw<
          { id: string }[]
        >`SELECT "id"::text FROM "payments" WHERE "provider_payment_id" = ${where.providerPaymentId} FOR UPDATE`;
  return rows[0]
    ? tx.payment.findUniqueOrThrow({
        where: { id: rows[0].id },
        include: { invoice: { include: { user: { select: { region: true } } } } },
      })
    : null;
}

/**
 * REFUND-1: an admin refunds a card payment, fully or in part, with a reason.
 * The refund is recorded and booked first (so the payment's refundable rest
 * is reserved and two admins cannot refund the same money twice), then asked
 * of the processor under the refund's own key; a refusal books it back. On
 * success the subscription it paid for ends or is shortened. A China-site
 * payment is refused before anything is written (SUB-7): resource packs and
 * top-ups included, as they all come through here.
 */
export async function refundPayment(
  deps: BillingDeps,
  input: { paymentId: string; amountMinor: bigint; reason: string; actorId: string },
) {
  const reason = input.reason.trim();
  if (!reason) throw new BillingError("refund_reason_required");
  if (input.amountMinor <= 0n) throw new BillingError("refund_amount_invalid");
  const { refund, payment } = await deps.db.$transaction(async (tx) => {
    const payment = await lockPayment(tx, { id: input.paymentId });
    if (!payment || payment.status !== "succeeded" || !payment.providerPaymentId)
      throw new BillingError("payment_not_refundable");
    if (
      refundRefusal({ currency: payment.currency, ownerRegion: payment.invoice.user.region }, await chinaCurrency(tx))
    )
      throw new BillingError("refund_china_site");
    const rest = payment.amountMinor - payment.refundedMinor;
    if (input.amountMinor > rest)
      throw new BillingError("refund_exceeds_payment", { rest: rest.toString(), currency: payment.currency });
    if (payment.invoice.kind === "top_up") {
      // A top-up is refunded out of the cash it added: what was spent cannot be given back.
      const wallet = await walletOf(tx, payment.invoice.userId, payment.currency, { lock: true });
      if (wallet.cashMinor < input.amountMinor)
        throw new BillingError("refund_exceeds_cash", {
          rest: wallet.cashMinor.toString(),
          currency: payment.currency,
        });
    }
    if (payment.invoice.kind === "pack") {
      const pack = await packLeftForRefund(tx, payment.invoice.id);
      const left = pack?.leftMinor ?? 0n;
      if (!pack || left < input.amountMinor)
        throw new BillingError("refund_exceeds_pack", { rest: left.toString(), currency: payment.currency });
      await takeFromPack(tx, pack.id, input.amountMinor);
    }
    // REFUND-1: a plan's card-minimum excess comes back out of the cash balance, as far as it is still there.
    const split = await splitPlanRefund(tx, payment, input.amountMinor);
    const refund = await tx.refund.create({
      data: {
        paymentId: payment.id,
        amountMinor: input.amountMinor,
        ...split,
        currency: payment.currency,
        reason,
        status: "pending",
        actorId: input.actorId,
        createdAt: deps.now,
        updatedAt: deps.now,
      },
    });
    await tx.payment.update({
      where: { id: payment.id },
      data: { refundedMinor: { increment: input.amountMinor }, updatedAt: deps.now },
    });
    await bookRefund(tx, refund, payment.invoice, payment.currency, cashBackOf(payment.invoice.kind, refund), deps.now);
    return { refund, payment };
  }, TX_OPTIONS);

  const result = await deps.port.refund({
    idempotencyKey: `refund:${refund.id}`,
    providerPaymentId: payment.providerPaymentId!,
    amountMinor: refund.amountMinor,
    metadata: { refund_id: refund.id, payment_key: payment.idempotencyKey },
  });
  if (result.status === "succeeded") {
    await deps.db.$transaction(
      (tx) => completeRefunds(tx, [{ refundId: refund.id, providerRefundId: result.providerRefundId }], deps.now),
      TX_OPTIONS,
    );
    return { refundId: refund.id };
  }
  await deps.db.$transaction(async (tx) => {
    const moved = await tx.refund.updateMany({
      where: { id: refund.id, status: "pending" },
      data: { status: "failed", failureCode: result.code, updatedAt: deps.now },
    });
    if (moved.count === 0) return;
    await tx.payment.update({
      where: { id: payment.id },
      data: { refundedMinor: { decrement: refund.amountMinor }, updatedAt: deps.now },
    });
    await refundReversal(
      tx,
      refund,
      payment.invoice,
      payment.currency,
      cashBackOf(payment.invoice.kind, refund),
      deps.now,
    );
    const pack = payment.invoice.kind === "pack" ? await packLeftForRefund(tx, payment.invoice.id) : null;
    if (pack) await takeFromPack(tx, pack.id, -refund.amountMinor);
    await recordAudit(tx, {
      actorId: input.actorId,
      action: "payment.refund_failed",
      subjectType: "payment",
      subjectId: payment.id,
      after: { refundId: refund.id, amountMinor: refund.amountMinor.toString(), reason, code: result.code },
      at: deps.now,
    });
  }, TX_OPTIONS);
  throw new BillingError("refund_failed", { reason: result.code });
}

/** Pending refunds the processor confirmed: each completes once, whoever reports it first. */
export async function completeRefunds(tx: Tx, confirmed: { refundId: string; providerRefundId: string }[], now: Date) {
  for (const c of confirmed) {
    const moved = await tx.refund.updateManyAndReturn({
      where: { id: c.refundId, status: "pending" },
      data: { status: "succeeded", providerRefundId: c.providerRefundId, updatedAt: now },
      include: { payment: true },
    });
    for (const r of moved) await applyRefundEffects(tx, r, r.payment, now);
  }
}

/**
 * `charge.refunded` (PAY-2): converges on the processor's total. Refunds we
 * asked for complete; money refunded at the processor that CodePlan never
 * asked for (from Stripe's dashboard, say) is recorded as a refund with the
 * reason "refunded at the processor", and has the same effects.
 */
export async function syncProcessorRefunds(
  deps: BillingDeps,
  input: {
    providerPaymentId: string;
    amountRefundedMinor: bigint;
    refunds: { providerRefundId: string; refundId: string | null }[];
  },
) {
  return deps.db.$transaction(async (tx) => {
    const payment = await lockPayment(tx, { providerPaymentId: input.providerPaymentId });
    if (!payment) return "unknown_payment" as const;
    const ours = input.refunds.filter((r): r is { providerRefundId: string; refundId: string } => Boolean(r.refundId));
    const known = await tx.refund.findMany({
      where: { id: { in: ours.map((r) => r.refundId) }, paymentId: payment.id },
      select: { id: true },
    });
    await completeRefunds(
      tx,
      ours.filter((r) => known.some((k) => k.id === r.refundId)),
      deps.now,
    );
    const missing = input.amountRefundedMinor - payment.refundedMinor;
    if (missing <= 0n) return "in_step" as const;
    const split = await splitPlanRefund(tx, payment, missing);
    const refund = await tx.refund.create({
      data: {
        paymentId: payment.id,
        amountMinor: missing,
        ...split,
        currency: payment.currency,
        reason: "refunded at the processor",
        status: "succeeded",
        actorId: null,
        createdAt: deps.now,
        updatedAt: deps.now,
      },
    });
    await tx.payment.update({
      where: { id: payment.id },
      data: { refundedMinor: { increment: missing }, updatedAt: deps.now },
    });
    // The processor has refunded already: take back what cash (or pack, or plan excess) is left and book the rest against revenue.
    const pack = payment.invoice.kind === "pack" ? await packLeftForRefund(tx, payment.invoice.id) : null;
    const cash =
      payment.invoice.kind === "top_up"
        ? (await walletOf(tx, payment.invoice.userId, payment.currency, { lock: true })).cashMinor
        : (pack?.leftMinor ?? 0n);
    const whole = payment.invoice.kind === "top_up" || payment.invoice.kind === "pack";
    const back = whole ? (cash < missing ? cash : missing) : cashBackOf(payment.invoice.kind, refund);
    if (pack) await takeFromPack(tx, pack.id, back);
    await bookRefund(tx, refund, payment.invoice, payment.currency, back, deps.now);
    await applyRefundEffects(tx, refund, payment, deps.now);
    return "recorded" as const;
  }, TX_OPTIONS);
}
