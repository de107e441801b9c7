"use client";

import { useTranslations } from "next-intl";
import { ReasonForm } from "../reason-form";
import { FilterFields, type ReviewAction } from "./filter-fields";
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
  const forWhom = <span className="sr-only"> {t("forWhom", { friend })}</span>;
  return (
    <ReasonForm
      action={action}
      errorText={errorText}
      working={t("working")}
      reason={{
        id: `review-${referralId}-reason`,
        label: (
          <>
            {t("reason")}
            {forWhom}
          </>
        ),
        help: t("reasonHelp"),
      }}
      className="space-y-3 border-t border-slate-200 pt-4"
      buttons={(pending) => (
        <div className="flex flex-wrap gap-2">
          {canRelease && (
            <button type="submit" name="action" value="release" className="btn-primary" disabled={pending}>
              {t("release")}
              {forWhom}
            </button>
          )}
          <button type="submit" name="action" value="reject" className="btn-secondary" disabled={pending}>
            {t("reject")}
            {forWhom}
          </button>
          {canBan && (
            <button
              type="submit"
              name="action"
              value="ban"
              className="btn border border-red-700 bg-white text-red-800 hover:bg-red-50"
              disabled={pending}
            >
              {t("ban")}
              {forWhom}
            </button>
          )}
        </div>
      )}
    >
      <input type="hidden" name="referralIds" value={referralId} />
      <FilterFields filter={filter} />
    </ReasonForm>
  );
}
