"use client";

import { useTranslations } from "next-intl";
import { ReasonForm } from "../reason-form";
import { QueueFields, type Filter, type PolicyAction } from "./queue-fields";
import { usePolicyErrorText } from "./use-policy-error";

/**
 * The decision on one violation: uphold or reverse, always with a reason (the
 * subscriber is told it). The button pressed names the decision.
 */
export function DecisionForm({
  action,
  violationId,
  context,
  filter,
}: {
  action: PolicyAction;
  violationId: string;
  context: string;
  filter: Filter;
}) {
  const t = useTranslations("adminPolicy.actions");
  const errorText = usePolicyErrorText();
  const forWhom = <span className="sr-only"> {context}</span>;
  return (
    <ReasonForm
      action={action}
      errorText={errorText}
      working={t("working")}
      reason={{
        id: `decide-${violationId}-reason`,
        label: (
          <>
            {t("reason")}
            {forWhom}
          </>
        ),
        help: t("reasonHelp"),
      }}
      className="space-y-3 border-t border-slate-200 pt-3"
      buttons={(pending) => (
        <div className="flex flex-wrap gap-2">
          <button type="submit" name="decision" value="reverse" className="btn-primary" disabled={pending}>
            {t("reverse")}
            {forWhom}
          </button>
          <button type="submit" name="decision" value="uphold" className="btn-secondary" disabled={pending}>
            {t("uphold")}
            {forWhom}
          </button>
        </div>
      )}
    >
      <input type="hidden" name="violationId" value={violationId} />
      <QueueFields filter={filter} />
    </ReasonForm>
  );
}
