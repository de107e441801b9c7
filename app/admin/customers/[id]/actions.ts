"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getLocale } from "next-intl/server";
import { z } from "zod";
import { adminForAction } from "@/lib/auth/session";
import { appBillingDeps, asActionResult, loadCatalog, refundPayment } from "@/lib/billing";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import type { ActionResult } from "@/lib/http/action-result";
import { adjustCredits, CreditAdjustmentError } from "@/lib/ledger";
import { formatMoney } from "@/lib/money/format";
import { parseMoney } from "@/lib/money/parse";

const adjustment = z.object({
  userId: z.uuid(),
  // A form without the choice (or an older page) grants, as the form always did.
  direction: z.enum(["add", "remove"]).default("add"),
  amount: z.string().trim(),
  reason: z.string().trim().min(3, "reason_required").max(500, "reason_too_long"),
  requestId: z.uuid(),
});

/** Most that one adjustment can move, either way: a typo of a few zeros is refused rather than posted. */
const MAX_ADJUSTMENT_MINOR = 100_000_00n;

/**
 * WALLET-2: an admin adds or removes promotional credits with a reason. The
 * ledger refuses a removal below zero; the audit entry keeps who, when, why
 * and the balance before and after (lib/ledger/grants.ts).
 */
export async function adjustCreditsAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  // SEC-1: role, ban and session version read from the database before anything else.
  const gate = await adminForAction();
  if (!gate.ok) return gate;
  const { admin } = gate;
  const parsed = adjustment.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) {
    const reason = parsed.error.issues.find((i) => i.path[0] === "reason");
    return {
      ok: false,
      error: "invalid_input",
      fieldErrors: reason ? { reason: reason.message } : { amount: "amount_invalid" },
    };
  }
  const { userId, direction, reason, requestId } = parsed.data;
  const user = await db().user.findUnique({ where: { id: userId }, select: { id: true, region: true } });
  if (!user) return { ok: false, error: "invalid_input" };
  // Credits are in the currency of the customer's region (the catalog's), not one the form names.
  const currency = (await loadCatalog(db())).regions[user.region].currency;
  const amountMinor = parseMoney(parsed.data.amount, currency);
  if (amountMinor === null || amountMinor <= 0n || amountMinor > MAX_ADJUSTMENT_MINOR)
    return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  const signed = direction === "remove" ? -amountMinor : amountMinor;
  try {
    await adjustCredits(db(), {
      userId,
      currency,
      reason,
      requestId,
      adminId: admin.id,
      amountMinor: signed,
      now: await appClock().now(),
    });
  } catch (e) {
    if (!(e instanceof CreditAdjustmentError)) throw e;
    const params = e.params.balanceMinor
      ? { balance: formatMoney(BigInt(e.params.balanceMinor), currency, await getLocale()) }
      : undefined;
    return e.code === "reason_required"
      ? { ok: false, error: e.code, fieldErrors: { reason: e.code } }
      : { ok: false, error: e.code, params };
  }
  revalidatePath(`/admin/customers/${user.id}`);
  redirect(`/admin/customers/${user.id}?notice=${direction === "remove" ? "credits_removed" : "granted"}`);
}

const refund = z.object({
  userId: z.uuid(),
  paymentId: z.uuid(),
  amount: z.string().trim(),
  reason: z.string().trim().min(3, "reason_required").max(500, "reason_too_long"),
});

/** REFUND-1: an admin refunds a card payment, fully or in part, with a required reason. */
export async function refundAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  // SEC-1: role, ban and session version read from the database before anything else.
  const gate = await adminForAction();
  if (!gate.ok) return gate;
  const { admin } = gate;
  const parsed = refund.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) {
    const reason = parsed.error.issues.find((i) => i.path[0] === "reason");
    return {
      ok: false,
      error: "invalid_input",
      fieldErrors: reason ? { reason: reason.message } : { amount: "refund_amount_invalid" },
    };
  }
  const payment = await db().payment.findFirst({
    where: { id: parsed.data.paymentId, invoice: { userId: parsed.data.userId } },
    select: { currency: true },
  });
  if (!payment) return { ok: false, error: "payment_not_refundable" };
  const amountMinor = parseMoney(parsed.data.amount, payment.currency);
  if (amountMinor === null || amountMinor <= 0n)
    return { ok: false, error: "invalid_input", fieldErrors: { amount: "refund_amount_invalid" } };
  const result = await asActionResult(async () =>
    refundPayment(await appBillingDeps(), {
      paymentId: parsed.data.paymentId,
      amountMinor,
      reason: parsed.data.reason,
      actorId: admin.id,
    }),
  );
  if (!result.ok) return result;
  revalidatePath(`/admin/customers/${parsed.data.userId}`);
  redirect(`/admin/customers/${parsed.data.userId}?notice=refunded`);
}
