"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { appBillingDeps } from "@/lib/billing";
import { action, plainInvalid } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { cancelWalletPayment } from "@/lib/payments/wallet-payment";

const input = z.object({ invoiceId: z.uuid(), next: z.string().max(2048) });

/** PAY-3: the buyer gives up the WeChat Pay code: the order is voided like an abandoned card payment, and they choose again. */
export const cancelWalletPaymentAction = action(
  input,
  async ({ invoiceId, next: asked }, { user }): Promise<ActionResult> => {
    const next = safeRedirectPath(asked, "/subscription");
    const outcome = await cancelWalletPayment(await appBillingDeps(), user.id, invoiceId);
    if (!outcome.ok && outcome.code === "unknown_payment") return { ok: false, error: "invalid_input" };
    const join = next.includes("?") ? "&" : "?";
    // Paid after all (scanned at the last moment): say so rather than "canceled".
    redirect(outcome.ok ? `${next}${join}failed=payment&reason=canceled` : `${next}${join}notice=paid`);
  },
  { invalid: plainInvalid },
);
