"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { deviceFingerprint } from "../device-fingerprint";
import { submitKeepingInput } from "../submit-keeping-input";
import { TextField } from "../text-field";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

const ERRORS = ["unknown_code", "own_code", "already_invited", "not_new", "invalid_input"] as const;

/** A friend's invite code at checkout (REF-1); once applied, the page's quote shows the referral discount (REF-3). */
export function InviteCodeForm({ action, percent }: { action: Action; percent: string }) {
  const t = useTranslations("invite");
  const [state, formAction, pending] = useActionState(action, null);
  const [device, setDevice] = useState("");
  useEffect(() => {
    void deviceFingerprint().then(setDevice);
  }, []);
  const error =
    state?.ok === false
      ? (ERRORS as readonly string[]).includes(state.error)
        ? t(`errors.${state.error as (typeof ERRORS)[number]}`)
        : state.error
      : undefined;
  return (
    <form onSubmit={submitKeepingInput(formAction)} className="space-y-3" aria-labelledby="invite-code-title">
      <h3 id="invite-code-title" className="font-semibold">
        {t("codeTitle")}
      </h3>
      <p className="text-sm text-slate-600">{t("codeHelp", { percent })}</p>
      <input type="hidden" name="device" value={device} />
      <TextField id="invite-code" name="code" label={t("codeLabel")} autoComplete="off" error={error} />
      <button type="submit" className="btn-secondary" disabled={pending}>
        {pending ? t("codeApplying") : t("codeSubmit")}
      </button>
      <div aria-live="polite">
        {state?.ok === true && (
          <p role="status" className="text-sm text-green-800">
            {t("codeApplied")}
          </p>
        )}
      </div>
    </form>
  );
}
