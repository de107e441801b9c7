"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { useErrorText } from "../form-error";
import { submitKeepingInput } from "../submit-keeping-input";
import { TextField } from "../text-field";

type Values = {
  fiveHour: string;
  weekly: string;
  monthly: string;
  lowBalance: string;
  byEmail: boolean;
  inApp: boolean;
  webhookUrl: string;
};
type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

/** ALERT-1: thresholds per window, a low balance, and the channels to be told on. */
export function AlertSettingsForm({
  action,
  initial,
  currency,
  locale,
}: {
  action: Action;
  initial: Values;
  currency: string;
  locale: string;
}) {
  const t = useTranslations("alerts");
  const errorText = useErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  const currencyName = new Intl.DisplayNames([locale], { type: "currency" }).of(currency) ?? currency;
  return (
    <form className="space-y-4" noValidate onSubmit={submitKeepingInput(formAction)}>
      <p className="text-sm text-slate-700">{t("thresholdsHelp")}</p>
      <div className="grid gap-3 md:grid-cols-3">
        <TextField
          id="alert-five-hour"
          name="fiveHour"
          label={t("fiveHour")}
          defaultValue={initial.fiveHour}
          inputMode="numeric"
          error={errorText(fe?.fiveHour)}
        />
        <TextField
          id="alert-weekly"
          name="weekly"
          label={t("weekly")}
          defaultValue={initial.weekly}
          inputMode="numeric"
          error={errorText(fe?.weekly)}
        />
        <TextField
          id="alert-monthly"
          name="monthly"
          label={t("monthly")}
          defaultValue={initial.monthly}
          inputMode="numeric"
          error={errorText(fe?.monthly)}
        />
      </div>
      <TextField
        id="alert-low-balance"
        name="lowBalance"
        label={t("lowBalance", { currency: currencyName })}
        help={t("lowBalanceHelp")}
        defaultValue={initial.lowBalance}
        inputMode="decimal"
        error={errorText(fe?.lowBalance)}
      />
      <fieldset className="space-y-2">
        <legend className="label">{t("channels")}</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="inApp" defaultChecked={initial.inApp} /> {t("inApp")}
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="byEmail" defaultChecked={initial.byEmail} /> {t("byEmail")}
        </label>
      </fieldset>
      <TextField
        id="alert-webhook-url"
        name="webhookUrl"
        type="url"
        label={t("webhookUrl")}
        help={t("webhookUrlHelp")}
        defaultValue={initial.webhookUrl}
        autoComplete="off"
        error={errorText(fe?.webhookUrl)}
      />
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? t("saving") : t("save")}
      </button>
      <div aria-live="polite">
        {state?.ok && (
          <p role="status" className="rounded-lg bg-green-50 p-3 text-sm text-green-900">
            {t("saved")}
          </p>
        )}
        {state?.ok === false && !fe && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error, state.params)}
          </p>
        )}
      </div>
    </form>
  );
}
