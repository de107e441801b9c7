"use client";

import { useTranslations } from "next-intl";
import { ReasonForm } from "../reason-form";
import { QueueFields, type Filter, type PolicyAction } from "./queue-fields";
import { usePolicyErrorText } from "./use-policy-error";

/**
 * Lifts a customer's ban with a required reason. `filter` brings the admin
 * back to the queue they were on; without it, back to the customer's page.
 */
export function LiftBanForm({
  action,
  userId,
  email,
  filter,
}: {
  action: PolicyAction;
  userId: string;
  email: string;
  filter?: Filter;
}) {
  const t = useTranslations("adminPolicy.actions");
  const errorText = usePolicyErrorText();
  const forWhom = <span className="sr-only"> {t("liftForWhom", { email })}</span>;
  const id = `lift-${userId}`;
  return (
    <ReasonForm
      action={action}
      errorText={errorText}
      working={t("working")}
      reason={{
        id: `${id}-reason`,
        label: (
          <>
            {t("reason")}
            {forWhom}
          </>
        ),
        help: t("liftReasonHelp"),
      }}
      labelledBy={`${id}-title`}
      className="space-y-3 rounded-lg border border-red-200 bg-red-50/40 p-3"
      buttons={(pending) => (
        <button
          type="submit"
          className="btn border border-red-700 bg-white text-red-800 hover:bg-red-50"
          disabled={pending}
        >
          {t("lift")}
          {forWhom}
        </button>
      )}
    >
      <h3 id={`${id}-title`} className="font-semibold text-red-900">
        {t("liftTitle")}
        {forWhom}
      </h3>
      <p className="text-sm text-slate-700">{t("liftHelp")}</p>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="back" value={filter ? "queue" : "customer"} />
      {filter && <QueueFields filter={filter} />}
    </ReasonForm>
  );
}
