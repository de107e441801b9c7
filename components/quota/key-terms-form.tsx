"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { useErrorText } from "../form-error";
import { submitKeepingInput } from "../submit-keeping-input";
import { TextField } from "../text-field";

const FIELDS = ["limit5h", "limitWeek", "dailyCap", "expiresOn"] as const;

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

/** The key's terms as the form shows them: empty strings for "no limit". */
export type KeyTermsValues = { limit5h: string; limitWeek: string; dailyCap: string; expiresOn: string };

/**
 * KEY-1: a key's own limits and expiry. Empty fields mean "no limit"; "Clear"
 * sends them all empty. A refused form keeps what was typed and says which
 * field is wrong; nothing is stored until every field is right.
 */
export function KeyTermsForm({
  action,
  keyId,
  name,
  values,
  currency,
}: {
  action: Action;
  keyId: string;
  name: string;
  values: KeyTermsValues;
  currency: string;
}) {
  const t = useTranslations("keys");
  const errorText = useErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  const id = (f: string) => `key-${keyId}-${f}`;
  const submit = submitKeepingInput(formAction);
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    // "Clear" empties the fields first, so the form shows what is stored after it.
    if ((e.nativeEvent as SubmitEvent).submitter?.getAttribute("value") === "clear") {
      for (const f of FIELDS) {
        const input = e.currentTarget.elements.namedItem(f) as HTMLInputElement | null;
        if (input) input.value = "";
      }
    }
    submit(e);
  };
  return (
    <form className="space-y-3" noValidate aria-label={t("termsLabel", { name })} onSubmit={onSubmit}>
      <input type="hidden" name="keyId" value={keyId} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          id={id("limit5h")}
          name="limit5h"
          label={t("limit5h")}
          help={t("limitHelp")}
          inputMode="numeric"
          defaultValue={values.limit5h}
          error={errorText(fe?.limit5h)}
          data-testid="limit-5h"
        />
        <TextField
          id={id("limitWeek")}
          name="limitWeek"
          label={t("limitWeek")}
          help={t("limitHelp")}
          inputMode="numeric"
          defaultValue={values.limitWeek}
          error={errorText(fe?.limitWeek)}
          data-testid="limit-week"
        />
        <TextField
          id={id("dailyCap")}
          name="dailyCap"
          label={t("dailyCap", { currency })}
          help={t("dailyCapHelp")}
          inputMode="decimal"
          defaultValue={values.dailyCap}
          error={errorText(fe?.dailyCap)}
          data-testid="daily-cap"
        />
        <TextField
          id={id("expiresOn")}
          name="expiresOn"
          type="date"
          label={t("expiresOn")}
          help={t("expiresOnHelp")}
          defaultValue={values.expiresOn}
          error={errorText(fe?.expiresOn)}
          data-testid="expires-on"
        />
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="op" value="save" className="btn-primary" disabled={pending}>
          {pending ? t("saving") : t("saveTerms")}
        </button>
        <button type="submit" name="op" value="clear" className="btn-secondary" disabled={pending}>
          {t("clearTerms")}
        </button>
      </div>
      <div aria-live="polite">
        {state?.ok && (
          <p role="status" className="text-sm text-green-800">
            {t("termsSaved")}
          </p>
        )}
        {state?.ok === false && !fe && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error)}
          </p>
        )}
      </div>
    </form>
  );
}
