"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { ReasonField } from "../reason-field";
import { submitKeepingInput } from "../submit-keeping-input";
import { FilterFields, type ReviewAction } from "./filter-fields";
import { useReviewErrorText } from "./use-review-error";

/**
 * One decision for every invitation ticked on the cards (the obvious cases):
 * the cards' checkboxes belong to this form through their `form` attribute.
 */
export function BulkReviewForm({
  action,
  formId,
  filter,
}: {
  action: ReviewAction;
  formId: string;
  filter: { rule?: string; state: string };
}) {
  const t = useTranslations("adminReferrals");
  const errorText = useReviewErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  return (
    <section aria-labelledby={`${formId}-title`} className="card space-y-3">
      <h2 id={`${formId}-title`} className="text-lg font-semibold">
        {t("bulk.title")}
      </h2>
      <p className="text-sm text-slate-700">{t("bulk.help")}</p>
      <form
        id={formId}
        noValidate
        onSubmit={submitKeepingInput(formAction)}
        aria-busy={pending}
        className="grid gap-3 sm:grid-cols-[minmax(0,14rem)_1fr] sm:items-start"
      >
        <FilterFields filter={filter} />
        <div>
          <label htmlFor={`${formId}-action`} className="label">
            {t("bulk.action")}
          </label>
          <select id={`${formId}-action`} name="action" className="field" defaultValue="release">
            <option value="release">{t("actions.release")}</option>
            <option value="reject">{t("actions.reject")}</option>
            <option value="ban">{t("actions.ban")}</option>
          </select>
        </div>
        <ReasonField
          id={`${formId}-reason`}
          label={t("actions.reason")}
          help={t("actions.reasonHelp")}
          error={errorText(fe?.reason)}
        />
        <div className="space-y-2 sm:col-span-2">
          <button type="submit" className="btn-primary" disabled={pending}>
            {pending ? t("actions.working") : t("bulk.apply")}
          </button>
          <div aria-live="polite">
            {state?.ok === false && !fe && (
              <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
                {errorText(state.error)}
              </p>
            )}
          </div>
        </div>
      </form>
    </section>
  );
}
