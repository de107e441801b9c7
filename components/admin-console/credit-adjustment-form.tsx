"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { useErrorText } from "../form-error";
import { submitKeepingInput } from "../submit-keeping-input";
import { TextField } from "../text-field";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

/** Refusals worded for this form (adminConsole.errors), else the app's shared ones (errors.*). */
function useAdjustmentErrorText() {
  const t = useTranslations("adminConsole.errors");
  const shared = useErrorText();
  return (code: string | undefined, params?: Record<string, string>) =>
    code && t.has(code) ? t(code, params) : shared(code, params);
}

/**
 * WALLET-2: add or remove promotional credits with a reason. The request id
 * comes with the page, so a double submit posts once; a refused form keeps
 * what was typed. The button says what will happen.
 */
export function CreditAdjustmentForm({
  action,
  userId,
  currency,
  requestId,
}: {
  action: Action;
  userId: string;
  currency: string;
  requestId: string;
}) {
  const t = useTranslations("adminConsole.adjust");
  const c = useTranslations("adminCustomer");
  const errorText = useAdjustmentErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const [direction, setDirection] = useState<"add" | "remove">("add");
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  const params = state?.ok === false ? state.params : undefined;
  return (
    <form noValidate onSubmit={submitKeepingInput(formAction)} aria-busy={pending} className="space-y-3">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="requestId" value={requestId} />
      <fieldset>
        <legend className="label">{t("direction")}</legend>
        <div className="flex flex-wrap gap-x-6 gap-y-2">
          {(["add", "remove"] as const).map((d) => (
            <label key={d} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="direction"
                value={d}
                checked={direction === d}
                onChange={() => setDirection(d)}
                className="h-4 w-4"
              />
              {t(d)}
            </label>
          ))}
        </div>
      </fieldset>
      <TextField
        id="grant-amount"
        name="amount"
        label={c("amount", { currency })}
        inputMode="decimal"
        autoComplete="off"
        required
        error={errorText(fe?.amount)}
      />
      <TextField
        id="grant-reason"
        name="reason"
        label={c("reason")}
        help={c("reasonHelp")}
        maxLength={500}
        autoComplete="off"
        required
        error={errorText(fe?.reason)}
      />
      <button
        type="submit"
        className={
          direction === "remove" ? "btn border border-red-700 bg-white text-red-800 hover:bg-red-50" : "btn-primary"
        }
        disabled={pending}
      >
        {pending ? t("working") : direction === "remove" ? t("submitRemove") : t("submitAdd")}
      </button>
      <div aria-live="polite">
        {state?.ok === false && !fe && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error, params)}
          </p>
        )}
      </div>
    </form>
  );
}
