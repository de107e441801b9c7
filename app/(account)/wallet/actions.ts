"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { buyPack } from "@/lib/api-billing";
import { requireUser } from "@/lib/auth/session";
import { appBillingDeps, asActionResult, loadCatalog, paymentFailure, topUp } from "@/lib/billing";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import { paymentReturnUrl } from "@/lib/http/app-url";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { parseMoney } from "@/lib/money/parse";
import type { ActionResult } from "@/lib/http/action-result";
import { cardSetupSecret, PAY_METHODS, paymentPort, saveTestCard } from "@/lib/payments";
import { paymentStepUrl } from "@/lib/payments/wallet-payment";

const method = z.enum(PAY_METHODS).optional();
const input = z.object({ amount: z.string().trim().min(1, "amount_invalid"), requestId: z.uuid(), method });

/** WALLET-4: top up the cash balance through the payment port. */
export async function topUpAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const user = await requireUser();
  // The type is the browser's promise only: a hand-made call can pass anything, which is bad input, not a 500.
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const parsed = input.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  // The amount is in the currency of the user's region, whatever the form says.
  const currency = (await loadCatalog(db())).regions[user.region].currency;
  const amountMinor = parseMoney(parsed.data.amount, currency);
  if (amountMinor === null || amountMinor <= 0n)
    return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  const result = await asActionResult(async () => ({
    outcome: await topUp(await appBillingDeps(), {
      userId: user.id,
      amountMinor,
      requestId: parsed.data.requestId,
      returnUrl: paymentReturnUrl("/wallet"),
      method: parsed.data.method,
    }),
  }));
  if (!result.ok) return result;
  if (result.outcome.status === "requires_action") redirect(paymentStepUrl(result.outcome, "/wallet"));
  if (result.outcome.status === "failed") {
    revalidatePath("/wallet");
    return paymentFailure(result.outcome.code);
  }
  revalidatePath("/wallet");
  redirect("/wallet?notice=topped_up");
}

const pack = z.object({ productId: z.string().trim().min(1).max(40), requestId: z.uuid(), method });

/**
 * BILL-3: buy a resource pack by card. Whether the product is on sale in the
 * user's currency is for buyPack to say (pack_unknown); the form's request id
 * makes a double submit the same order.
 */
export async function buyPackAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const user = await requireUser();
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const parsed = pack.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const result = await asActionResult(async () => ({
    outcome: await buyPack(await appBillingDeps(), {
      userId: user.id,
      productId: parsed.data.productId,
      requestId: parsed.data.requestId,
      returnUrl: paymentReturnUrl("/wallet"),
      method: parsed.data.method,
    }),
  }));
  if (!result.ok) return result;
  if (result.outcome.status === "requires_action") redirect(paymentStepUrl(result.outcome, "/wallet"));
  revalidatePath("/wallet");
  if (result.outcome.status === "failed") return paymentFailure(result.outcome.code);
  redirect(result.outcome.status === "paid" ? "/wallet?notice=pack_bought" : "/wallet?notice=pack_pending");
}

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
export async function saveCardAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const user = await requireUser();
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const parsed = card.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    return { ok: false, error: "invalid_input", fieldErrors };
  }
  const [month, year] = parsed.data.expiry.split("/").map((s) => Number(s.trim()));
  const next = safeRedirectPath(parsed.data.next, "/wallet");
  const result = await asActionResult(async () => ({
    setup: await saveTestCard(paymentPort(), {
      userId: user.id,
      email: user.email,
      number: parsed.data.number,
      expMonth: month,
      expYear: year,
      cvc: parsed.data.cvc,
      returnUrl: paymentReturnUrl(next),
      requestId: parsed.data.requestId,
      now: await appClock().now(),
    }),
  }));
  if (!result.ok) return result;
  const setup = result.setup;
  if (setup.status === "invalid")
    return { ok: false, error: "invalid_input", fieldErrors: { [FIELD_OF[setup.error]]: setup.error } };
  if (setup.status === "requires_action") redirect(setup.actionUrl);
  if (setup.status === "failed") {
    revalidatePath(next.split("?")[0]);
    return { ok: false, error: "card_failed", params: { reason: setup.code } };
  }
  revalidatePath("/", "layout");
  redirect(`${next}${next.includes("?") ? "&" : "?"}notice=card_saved`);
}

/** A SetupIntent's client secret for Stripe Elements (real Stripe). */
export async function cardSetupSecretAction(): Promise<{ clientSecret: string }> {
  const user = await requireUser();
  return { clientSecret: await cardSetupSecret(user.id, user.email) };
}
