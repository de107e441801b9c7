"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { buyPack } from "@/lib/api-billing";
import { requireUser } from "@/lib/auth/session";
import { appBillingDeps, paymentFailure, topUp } from "@/lib/billing";
import { catalogNow } from "@/lib/billing/face";
import { appClock } from "@/lib/clock";
import { paymentReturnUrl } from "@/lib/http/app-url";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { parseMoney } from "@/lib/money/parse";
import { action, plainInvalid } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { cardSetupSecret, PAY_METHODS, paymentPort, saveTestCard } from "@/lib/payments";
import { paymentStepUrl } from "@/lib/payments/wallet-payment";

const method = z.enum(PAY_METHODS).optional();
const input = z.object({ amount: z.string().trim().min(1, "amount_invalid"), requestId: z.uuid(), method });

/** WALLET-4: top up the cash balance through the payment port. */
export const topUpAction = action(
  input,
  async ({ amount, requestId, method: chosen }, { user }): Promise<ActionResult> => {
    // The amount is in the currency of the user's region, whatever the form says.
    const currency = (await catalogNow()).regions[user.region].currency;
    const amountMinor = parseMoney(amount, currency);
    if (amountMinor === null || amountMinor <= 0n)
      return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
    const outcome = await topUp(await appBillingDeps(), {
      userId: user.id,
      amountMinor,
      requestId,
      returnUrl: paymentReturnUrl("/wallet"),
      method: chosen,
    });
    if (outcome.status === "requires_action") redirect(paymentStepUrl(outcome, "/wallet"));
    if (outcome.status === "failed") {
      revalidatePath("/wallet");
      return paymentFailure(outcome.code);
    }
    revalidatePath("/wallet");
    redirect("/wallet?notice=topped_up");
  },
  { invalid: () => ({ ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } }) },
);

const pack = z.object({ productId: z.string().trim().min(1).max(40), requestId: z.uuid(), method });

/**
 * BILL-3: buy a resource pack by card. Whether the product is on sale in the
 * user's currency is for buyPack to say (pack_unknown); the form's request id
 * makes a double submit the same order.
 */
export const buyPackAction = action(
  pack,
  async ({ productId, requestId, method: chosen }, { user }): Promise<ActionResult> => {
    const outcome = await buyPack(await appBillingDeps(), {
      userId: user.id,
      productId,
      requestId,
      returnUrl: paymentReturnUrl("/wallet"),
      method: chosen,
    });
    if (outcome.status === "requires_action") redirect(paymentStepUrl(outcome, "/wallet"));
    revalidatePath("/wallet");
    if (outcome.status === "failed") return paymentFailure(outcome.code);
    redirect(outcome.status === "paid" ? "/wallet?notice=pack_bought" : "/wallet?notice=pack_pending");
  },
  { invalid: plainInvalid },
);

const card = z.object({
  number: z.string().trim().min(1, "card_number_invalid").max(40, "card_number_invalid"),
  expiry: z
    .string()
    .trim()
    .regex(/^(0?[1-9]|1[0-2])\s*\/\s*(\d{2}|\d{4})$/, "card_expiry_invalid"),
  cvc: z
    .string()
    .trim()
    .regex(/^\d{3,4}$/, "card_cvc_invalid"),
  next: z.string().default("/wallet"),
  requestId: z.uuid(),
});

const FIELD_OF = {
  card_number_invalid: "number",
  card_not_test_card: "number",
  card_expired: "expiry",
  card_cvc_invalid: "cvc",
} as const;

/**
 * Saves a card typed into the local card form (local Stripe-compatible server
 * only). A card that needs 3-D Secure goes to the challenge page and comes
 * back through /payments/return.
 */
export const saveCardAction = action(
  card,
  async (typed, { user }): Promise<ActionResult> => {
    const [month, year] = typed.expiry.split("/").map((s) => Number(s.trim()));
    const next = safeRedirectPath(typed.next, "/wallet");
    const setup = await saveTestCard(paymentPort(), {
      userId: user.id,
      email: user.email,
      number: typed.number,
      expMonth: month,
      expYear: year,
      cvc: typed.cvc,
      returnUrl: paymentReturnUrl(next),
      requestId: typed.requestId,
      now: await appClock().now(),
    });
    if (setup.status === "invalid")
      return { ok: false, error: "invalid_input", fieldErrors: { [FIELD_OF[setup.error]]: setup.error } };
    if (setup.status === "requires_action") redirect(setup.actionUrl);
    if (setup.status === "failed") {
      revalidatePath(next.split("?")[0]);
      return { ok: false, error: "card_failed", params: { reason: setup.code } };
    }
    revalidatePath("/", "layout");
    redirect(`${next}${next.includes("?") ? "&" : "?"}notice=card_saved`);
  },
  {
    // Each field's own key, as the card form shows them (not fieldErrorsOf's generic fallback).
    invalid: (error) => {
      const fieldErrors: Record<string, string> = {};
      for (const issue of error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
      return { ok: false, error: "invalid_input", fieldErrors };
    },
  },
);

/**
 * Not through action(): it takes no input and answers a client secret that
 * Stripe Elements reads, not an ActionResult; an error belongs on the error
 * page as before. The session is checked here.
 */
/** A SetupIntent's client secret for Stripe Elements (real Stripe). */
export async function cardSetupSecretAction(): Promise<{ clientSecret: string }> {
  const user = await requireUser();
  return { clientSecret: await cardSetupSecret(user.id, user.email) };
}

/**
 * PAY-3: the subscriber ends the Alipay automatic-payment agreement: detached
 * at the processor and forgotten here, so renewals no longer charge it. Only
 * an agreement can be ended here; a card is replaced, not removed.
 */
export const endAgreementAction = action(
  z.undefined(),
  async (_none, { user }): Promise<ActionResult> => {
    const port = paymentPort();
    if ((await port.savedMethod(user.id))?.type !== "alipay") return { ok: false, error: "invalid_input" };
    await port.removeSavedMethod(user.id);
    revalidatePath("/", "layout");
    redirect("/wallet?notice=agreement_ended");
  },
  { read: () => undefined },
);
