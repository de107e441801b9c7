"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { appBillingDeps, asActionResult, loadCatalog, topUp } from "@/lib/billing";
import { db } from "@/lib/db";
import { parseMoney } from "@/lib/money/parse";
import type { ActionResult } from "@/lib/http/action-result";

const input = z.object({ amount: z.string().trim().min(1, "amount_invalid"), requestId: z.uuid() });

/** WALLET-4: top up the cash balance through the payment port. */
export async function topUpAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const user = await requireUser();
  const parsed = input.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  // The amount is in the currency of the user's region, whatever the form says.
  const currency = (await loadCatalog(db())).regions[user.region].currency;
  const amountMinor = parseMoney(parsed.data.amount, currency);
  if (amountMinor === null || amountMinor <= 0n) return { ok: false, error: "invalid_input", fieldErrors: { amount: "amount_invalid" } };
  const result = await asActionResult(async () => ({
    outcome: await topUp(await appBillingDeps(), { userId: user.id, amountMinor, requestId: parsed.data.requestId }),
  }));
  if (!result.ok) return result;
  if (result.outcome.status === "requires_action") redirect(result.outcome.actionUrl);
  if (result.outcome.status === "failed") return { ok: false, error: "payment_failed", params: { reason: result.outcome.code } };
  revalidatePath("/wallet");
  redirect("/wallet?notice=topped_up");
}
