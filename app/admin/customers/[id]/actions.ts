"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getLocale } from "next-intl/server";
import { z } from "zod";
import { appBillingDeps, refundPayment } from "@/lib/billing";
import { catalogNow, paymentCurrencyFor } from "@/lib/billing/face";
import { accountRegionFor } from "@/lib/accounts/face";
import { appClock } from "@/lib/clock";
import { action, type Refusal } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { CreditAdjustmentError } from "@/lib/ledger";
import { adjustCreditsFor } from "@/lib/ledger/face";
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

/** A reason problem next to its field; anything else about the form is the amount's. */
const invalidWith =
  (amountKey: string) =>
  (error: z.ZodError): Refusal => {
    const reason = error.issues.find((i) => i.path[0] === "reason");
    return {
      ok: false,
      error: "invalid_input",
      fieldErrors: reason ? { reason: reason.message } : { amount: amountKey },
    };
  };

/**
 * WALLET-2: an admin adds or removes promotional credits with a reason. The
 * ledger refuses a removal below zero; the audit entry keeps who, when, why
 * and the balance before and after (lib/ledger/grants.ts).
 * SEC-1: role, ban and session version are read from the database before anything else (caller: admin).
 */
export const adjustCreditsAction = action(
  adjustment,
  async ({ userId, direction, reason, requestId, amount }, { user: admin }): Promise<ActionResult> => {
    const user = await accountRegionFor(userId);
    if (!user) return { ok: false, error: "invalid_input" };
    // Credits are in the currency of the customer's region (the catalog's), not one the form names.
    const currency = (await catalogNow()).regions[user.region].currency;
    const amountMinor = parseMoney(amount, currency);
    if (amountMinor === null || amountMinor <= 0n || amountMinor > MAX_ADJUSTMENT_MINOR)
      return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
    const signed = direction === "remove" ? -amountMinor : amountMinor;
    try {
      await adjustCreditsFor({
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
      // The balance is shown in the customer's currency, which only this action knows.
      const params = e.params.balanceMinor
        ? { balance: formatMoney(BigInt(e.params.balanceMinor), currency, await getLocale()) }
        : undefined;
      return e.code === "reason_required"
        ? { ok: false, error: e.code, fieldErrors: { reason: e.code } }
        : { ok: false, error: e.code, params };
    }
    revalidatePath(`/admin/customers/${user.id}`);
    redirect(`/admin/customers/${user.id}?notice=${direction === "remove" ? "credits_removed" : "granted"}`);
  },
  { caller: "admin", invalid: invalidWith("amount_invalid") },
);

const refund = z.object({
  userId: z.uuid(),
  paymentId: z.uuid(),
  amount: z.string().trim(),
  reason: z.string().trim().min(3, "reason_required").max(500, "reason_too_long"),
});

/** REFUND-1: an admin refunds a card payment, fully or in part, with a required reason. */
export const refundAction = action(
  refund,
  async ({ userId, paymentId, amount, reason }, { user: admin }): Promise<ActionResult> => {
    const currency = await paymentCurrencyFor(userId, paymentId);
    if (!currency) return { ok: false, error: "payment_not_refundable" };
    const amountMinor = parseMoney(amount, currency);
    if (amountMinor === null || amountMinor <= 0n)
      return { ok: false, error: "invalid_input", fieldErrors: { amount: "refund_amount_invalid" } };
    await refundPayment(await appBillingDeps(), { paymentId, amountMinor, reason, actorId: admin.id });
    revalidatePath(`/admin/customers/${userId}`);
    redirect(`/admin/customers/${userId}?notice=refunded`);
  },
  { caller: "admin", invalid: invalidWith("refund_amount_invalid") },
);
