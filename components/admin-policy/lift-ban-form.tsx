"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { ReasonField } from "../admin-referrals/reason-field";
import { submitKeepingInput } from "../submit-keeping-input";
import { QueueFields, type Filter, type PolicyAction } from "./queue-fields";
import { usePolicyErrorText } from "./use-policy-error";

/**
 * Lifts a customer's ban with a required reason. `filter` brings the admin
 * back to the queue they were on; without it, back to the customer's page.
 */
export function LiftBanForm({ action, userId, email, filter }: { action: PolicyAction; userId: string; email: string; filter?: Filter }) {
  const t = useTranslations("adminPolicy.actions");
  const errorText = usePolicyErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  const forWhom = <span className="sr-only"> {t("liftForWhom", { email })}</span>;
  const id = `lift-${userId}`;
  return (
    <form
      noValidate
      onSubmit={submitKeepingInput(formAction)}
      aria-busy={pending}
      aria-labelledby={`${id}-title`}
      className="space-y-3 rounded-lg border border-red-200 bg-red-50/40 p-3"
    >
      <h3 id={`${id}-title`} className="font-semibold text-red-900">{t("liftTitle")}{forWhom}</h3>
      <p className="text-sm text-slate-700">{t("liftHelp")}</p>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="back" value={filter ? "queue" : "customer"} />
      {filter && <QueueFields filter={filter} />}
      <ReasonField id={`${id}-reason`} label={<>{t("reason")}{forWhom}</>} help={t("liftReasonHelp")} error={errorText(fe?.reason)} />
      <button type="submit" className="btn border border-red-700 bg-white text-red-800 hover:bg-red-50" disabled={pending}>
        {t("lift")}{forWhom}
      </button>
      <div aria-live="polite">
        {pending && <p className="text-sm text-slate-600">{t("working")}</p>}
        {state?.ok === false && !fe && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error)}
          </p>
        )}
      </div>
    </form>
  );
}
