"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { appBillingDeps, asActionResult } from "@/lib/billing";
import type { ActionResult } from "@/lib/http/action-result";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { cancelWalletPayment } from "@/lib/payments/wallet-payment";

const input = z.object({ invoiceId: z.uuid(), next: z.string().max(2048) });

/** PAY-3: the buyer gives up the WeChat Pay code: the order is voided like an abandoned card payment, and they choose again. */
export async function cancelWalletPaymentAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const user = await requireUser();
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const parsed = input.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const next = safeRedirectPath(parsed.data.next, "/subscription");
  const result = await asActionResult(async () => ({
    outcome: await cancelWalletPayment(await appBillingDeps(), user.id, parsed.data.invoiceId),
  }));
  if (!result.ok) return result;
  if (!result.outcome.ok && result.outcome.code === "unknown_payment") return { ok: false, error: "invalid_input" };
  const join = next.includes("?") ? "&" : "?";
  // Paid after all (scanned at the last moment): say so rather than "canceled".
  redirect(result.outcome.ok ? `${next}${join}failed=payment&reason=canceled` : `${next}${join}notice=paid`);
}
