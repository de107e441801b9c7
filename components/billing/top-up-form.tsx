"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import type { PayMethod, RecurringWallet } from "@/lib/payments/port";
import { TextField } from "../text-field";
import { PayMethodPicker } from "./pay-method-picker";
import { useBillingErrorText } from "./use-billing-error";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<object>>;

export function TopUpForm({
  action,
  currency,
  requestId,
  minimum,
  methods = ["card"],
  savedWallet,
}: {
  action: Action;
  currency: string;
  requestId: string;
  minimum: string;
  methods?: PayMethod[];
  /** An Alipay agreement saved (PAY-3): Alipay is charged under it, no redirect. */
  savedWallet?: RecurringWallet;
}) {
  const t = useTranslations("wallet");
  const errors = useTranslations("errors");
  const errorText = useBillingErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const fieldError = state?.ok === false ? state.fieldErrors?.amount : undefined;
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <input type="hidden" name="requestId" value={requestId} />
      <TextField
        id="top-up-amount"
        name="amount"
        label={t("amountLabel", { currency })}
        help={t("amountHelp", { minimum })}
        inputMode="decimal"
        autoComplete="off"
        required
        error={fieldError ? errors(fieldError) : undefined}
      />
      {/* PAY-3: where the site offers more than the card, the buyer picks; otherwise the card, as before. */}
      {methods.length > 1 && <PayMethodPicker methods={methods} idPrefix="top-up" savedWallet={savedWallet} />}
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? t("toppingUp") : methods.length > 1 ? t("topUpWith") : t("topUp")}
      </button>
      <div aria-live="polite">
        {state?.ok === false && !fieldError && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error, state.params)}
          </p>
        )}
      </div>
    </form>
  );
}
