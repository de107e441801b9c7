"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { submitKeepingInput } from "../submit-keeping-input";
import { FilterFields, type ReviewAction } from "./filter-fields";
import { ReasonField } from "./reason-field";
import { useReviewErrorText } from "./use-review-error";

/**
 * The decision on one invitation: release its reward, reject it, or ban the
 * inviter. One reason field serves all three; the button pressed names the action.
 */
export function ReviewForm({
  action,
  referralId,
  friend,
  filter,
  canRelease,
  canBan,
}: {
  action: ReviewAction;
  referralId: string;
  friend: string;
  filter: { rule?: string; state: string };
  canRelease: boolean;
  canBan: boolean;
}) {
  const t = useTranslations("adminReferrals.actions");
  const errorText = useReviewErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  const forWhom = <span className="sr-only"> {t("forWhom", { friend })}</span>;
  const id = `review-${referralId}`;
  return (
    <form noValidate onSubmit={submitKeepingInput(formAction)} aria-busy={pending} className="space-y-3 border-t border-slate-200 pt-4">
      <input type="hidden" name="referralIds" value={referralId} />
      <FilterFields filter={filter} />
      <ReasonField id={`${id}-reason`} label={<>{t("reason")}{forWhom}</>} help={t("reasonHelp")} error={errorText(fe?.reason)} />
      <div className="flex flex-wrap gap-2">
        {canRelease && (
          <button type="submit" name="action" value="release" className="btn-primary" disabled={pending}>
            {t("release")}{forWhom}
          </button>
        )}
        <button type="submit" name="action" value="reject" className="btn-secondary" disabled={pending}>
          {t("reject")}{forWhom}
        </button>
        {canBan && (
          <button type="submit" name="action" value="ban" className="btn border border-red-700 bg-white text-red-800 hover:bg-red-50" disabled={pending}>
            {t("ban")}{forWhom}
          </button>
        )}
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
