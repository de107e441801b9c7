"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef, useState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { useErrorText } from "../form-error";
import { submitKeepingInput } from "../submit-keeping-input";
import { TextField } from "../text-field";
import { NewKeySecret } from "./new-key-secret";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<{ name: string; secret: string }>>;

/**
 * The name of a new key, then its secret. The secret lives only in this
 * component's state (the action's answer): reloading the page drops it for good.
 */
export function CreateKeyForm({
  action,
  purposes,
}: {
  action: Action;
  purposes: readonly ("coding" | "payg" | "both")[];
}) {
  const t = useTranslations("keys");
  const errorText = useErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;

  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);

  return (
    <div className="space-y-4">
      <form ref={form} className="space-y-3" noValidate onSubmit={submitKeepingInput(formAction)}>
        <TextField
          id="key-name"
          name="name"
          label={t("nameLabel")}
          help={t("nameHelp")}
          autoComplete="off"
          required
          error={errorText(fe?.name)}
        />
        {/* QUOTA-9: what the key may spend. */}
        <fieldset aria-describedby={fe?.purpose ? "key-purpose-error" : undefined}>
          <legend className="label">{t("purposeLabel")}</legend>
          <div className="space-y-1">
            {purposes.map((p) => (
              <label key={p} className="flex items-start gap-2">
                <input type="radio" name="purpose" value={p} defaultChecked={p === "coding"} className="mt-1" />
                <span>
                  <span className="font-medium">{t(`purposes.${p}`)}</span>
                  <span className="block text-sm text-slate-600">{t(`purposeHelp.${p}`)}</span>
                </span>
              </label>
            ))}
          </div>
          {fe?.purpose && (
            <p id="key-purpose-error" className="field-error">
              {errorText(fe.purpose)}
            </p>
          )}
        </fieldset>
        <button type="submit" className="btn-primary" disabled={pending}>
          {pending ? t("creating") : t("create")}
        </button>
        <div aria-live="polite">
          {state?.ok === false && !fe && (
            <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
              {errorText(state.error, state.params)}
            </p>
          )}
        </div>
      </form>
      {state?.ok && state.secret !== dismissed && (
        <NewKeySecret
          key={state.secret}
          name={state.name}
          secret={state.secret}
          onDone={() => setDismissed(state.secret)}
        />
      )}
    </div>
  );
}
