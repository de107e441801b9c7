"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { submitKeepingInput } from "../submit-keeping-input";
import { TextField } from "../text-field";
import { useBillingErrorText } from "./use-billing-error";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

/** REFUND-1: refund all or part of one card payment; the reason is required and goes to the audit log. */
export function RefundForm({
  action,
  userId,
  paymentId,
  currency,
  rest,
  idPrefix,
}: {
  action: Action;
  userId: string;
  paymentId: string;
  currency: string;
  rest: string;
  idPrefix: string;
}) {
  const t = useTranslations("adminCustomer");
  const errorText = useBillingErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  return (
    <form className="space-y-3" noValidate onSubmit={submitKeepingInput(formAction)}>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="paymentId" value={paymentId} />
      <TextField
        id={`${idPrefix}-amount`}
        name="amount"
        label={t("refundAmount", { currency })}
        help={t("refundAmountHelp", { rest })}
        inputMode="decimal"
        required
        error={fe?.amount ? errorText(fe.amount) : undefined}
      />
      <TextField
        id={`${idPrefix}-reason`}
        name="reason"
        label={t("refundReason")}
        help={t("refundReasonHelp")}
        required
        error={fe?.reason ? errorText(fe.reason) : undefined}
      />
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? t("refunding") : t("refund")}
      </button>
      <div aria-live="polite">
        {state?.ok === false && !fe && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error, state.params)}
          </p>
        )}
      </div>
    </form>
  );
}
