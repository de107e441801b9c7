"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { useErrorText } from "./form-error";
import { TextField } from "./text-field";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

export function GrantCreditsForm({ action, userId, currency, requestId }: { action: Action; userId: string; currency: string; requestId: string }) {
  const t = useTranslations("adminCustomer");
  const errorText = useErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="requestId" value={requestId} />
      <TextField id="grant-amount" name="amount" label={t("amount", { currency })} inputMode="decimal" required error={errorText(fe?.amount)} />
      <TextField id="grant-reason" name="reason" label={t("reason")} help={t("reasonHelp")} required error={errorText(fe?.reason)} />
      <button type="submit" className="btn-primary" disabled={pending}>{pending ? t("granting") : t("grant")}</button>
      <div aria-live="polite">
        {state?.ok === false && !fe && <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">{errorText(state.error)}</p>}
      </div>
    </form>
  );
}
