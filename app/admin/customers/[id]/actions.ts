"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { appBillingDeps, asActionResult, loadCatalog, refundPayment } from "@/lib/billing";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import type { ActionResult } from "@/lib/http/action-result";
import { grantCredits } from "@/lib/ledger";
import { parseMoney } from "@/lib/money/parse";

const input = z.object({
  userId: z.uuid(),
  amount: z.string().trim(),
  reason: z.string().trim().min(3, "reason_required").max(500, "reason_too_long"),
  requestId: z.uuid(),
});

/** WALLET-2: an admin grants promotional credits, with a reason that goes to the audit log. */
export async function grantCreditsAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const admin = await requireAdmin();
  const parsed = input.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) {
    const reason = parsed.error.issues.find((i) => i.path[0] === "reason");
    return { ok: false, error: "invalid_input", fieldErrors: reason ? { reason: reason.message } : { amount: "amount_invalid" } };
  }
  const user = await db().user.findUnique({ where: { id: parsed.data.userId }, select: { id: true, region: true } });
  if (!user) return { ok: false, error: "invalid_input" };
  // Credits are granted in the currency of the customer's region (the catalog's), not one the form names.
  const currency = (await loadCatalog(db())).regions[user.region].currency;
  const amountMinor = parseMoney(parsed.data.amount, currency);
  if (amountMinor === null || amountMinor <= 0n || amountMinor > 100_000_00n)
    return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  await grantCredits(db(), { ...parsed.data, currency, adminId: admin.id, amountMinor, now: await appClock().now() });
  revalidatePath(`/admin/customers/${user.id}`);
  redirect(`/admin/customers/${user.id}?notice=granted`);
}

const refund = z.object({
  userId: z.uuid(),
  paymentId: z.uuid(),
  amount: z.string().trim(),
  reason: z.string().trim().min(3, "reason_required").max(500, "reason_too_long"),
});

/** REFUND-1: an admin refunds a card payment, fully or in part, with a required reason. */
export async function refundAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const admin = await requireAdmin();
  const parsed = refund.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) {
    const reason = parsed.error.issues.find((i) => i.path[0] === "reason");
    return { ok: false, error: "invalid_input", fieldErrors: reason ? { reason: reason.message } : { amount: "refund_amount_invalid" } };
  }
  const payment = await db().payment.findFirst({ where: { id: parsed.data.paymentId, invoice: { userId: parsed.data.userId } }, select: { currency: true } });
  if (!payment) return { ok: false, error: "payment_not_refundable" };
  const amountMinor = parseMoney(parsed.data.amount, payment.currency);
  if (amountMinor === null || amountMinor <= 0n) return { ok: false, error: "invalid_input", fieldErrors: { amount: "refund_amount_invalid" } };
  const result = await asActionResult(async () =>
    refundPayment(await appBillingDeps(), { paymentId: parsed.data.paymentId, amountMinor, reason: parsed.data.reason, actorId: admin.id }),
  );
  if (!result.ok) return result;
  revalidatePath(`/admin/customers/${parsed.data.userId}`);
  redirect(`/admin/customers/${parsed.data.userId}?notice=refunded`);
}
