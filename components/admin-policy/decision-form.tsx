"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { ReasonField } from "../admin-referrals/reason-field";
import { submitKeepingInput } from "../submit-keeping-input";
import { QueueFields, type Filter, type PolicyAction } from "./queue-fields";
import { usePolicyErrorText } from "./use-policy-error";

/**
 * The decision on one violation: uphold or reverse, always with a reason (the
 * subscriber is told it). The button pressed names the decision.
 */
export function DecisionForm({ action, violationId, context, filter }: { action: PolicyAction; violationId: string; context: string; filter: Filter }) {
  const t = useTranslations("adminPolicy.actions");
  const errorText = usePolicyErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  const forWhom = <span className="sr-only"> {context}</span>;
  const id = `decide-${violationId}`;
  return (
    <form noValidate onSubmit={submitKeepingInput(formAction)} aria-busy={pending} className="space-y-3 border-t border-slate-200 pt-3">
      <input type="hidden" name="violationId" value={violationId} />
      <QueueFields filter={filter} />
      <ReasonField id={`${id}-reason`} label={<>{t("reason")}{forWhom}</>} help={t("reasonHelp")} error={errorText(fe?.reason)} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="decision" value="reverse" className="btn-primary" disabled={pending}>
          {t("reverse")}{forWhom}
        </button>
        <button type="submit" name="decision" value="uphold" className="btn-secondary" disabled={pending}>
          {t("uphold")}{forWhom}
        </button>
      </div>
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
