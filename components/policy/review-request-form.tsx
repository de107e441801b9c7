"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { submitKeepingInput } from "../submit-keeping-input";

/**
 * POLICY-2: asks for a review of one open violation, with an optional note.
 * A refused note stays in the field (submitKeepingInput) with the reason next
 * to it; other refusals are an alert under the button.
 */
export function ReviewRequestForm({
  action,
  violationId,
  recorded,
}: {
  action: (prev: unknown, form: FormData) => Promise<ActionResult>;
  violationId: string;
  recorded: string;
}) {
  const t = useTranslations("policy");
  const errors = useTranslations("policy.errors");
  const [state, formAction, pending] = useActionState(action, null);
  const text = (code: string) => (errors.has(code) ? errors(code as "unexpected") : errors("unexpected"));
  const noteError = state?.ok === false ? state.fieldErrors?.note : undefined;
  const id = `review-${violationId}`;
  const describedBy = [`${id}-help`, noteError && `${id}-error`].filter(Boolean).join(" ");
  return (
    <form
      noValidate
      onSubmit={submitKeepingInput(formAction)}
      aria-busy={pending}
      className="space-y-2 border-t border-slate-200 pt-3"
    >
      <input type="hidden" name="violationId" value={violationId} />
      <div>
        <label htmlFor={`${id}-note`} className="label">
          {t("reviewLabel")}
        </label>
        {/* No maxLength: a longer note is kept and refused with a reason, rather than cut off silently. */}
        <textarea
          id={`${id}-note`}
          name="note"
          rows={3}
          className="field"
          aria-invalid={noteError ? true : undefined}
          aria-describedby={describedBy}
        />
        <p id={`${id}-help`} className="mt-1 text-sm text-slate-600">
          {t("reviewHelp")}
        </p>
        {noteError && (
          <p id={`${id}-error`} role="alert" className="field-error">
            {text(noteError)}
          </p>
        )}
      </div>
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? t("reviewSending") : t("reviewSubmit")}
        <span className="sr-only"> {t("reviewForWhom", { time: recorded })}</span>
      </button>
      <div aria-live="polite">
        {state?.ok === false && !state.fieldErrors && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {text(state.error)}
          </p>
        )}
      </div>
    </form>
  );
}
