"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { submitKeepingInput } from "../submit-keeping-input";
import { TextField } from "../text-field";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<{ email: string }>>;

const ERRORS = ["invalid_email", "own_email", "already_sent", "daily_limit", "mail_throttled"] as const;

/** Sends the invite link to a friend's address (REF-1); the e-mail alone attributes nothing (REF-2). */
export function EmailInviteForm({ action, limit }: { action: Action; limit: number }) {
  const t = useTranslations("emailInvite");
  const [state, formAction, pending] = useActionState(action, null);
  const form = useRef<HTMLFormElement>(null);
  // A refused address stays in the field (submitKeepingInput); a sent one is cleared.
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  const error =
    state?.ok === false
      ? (ERRORS as readonly string[]).includes(state.error)
        ? t(`errors.${state.error as (typeof ERRORS)[number]}`, { limit })
        : state.error
      : undefined;
  return (
    <form
      ref={form}
      onSubmit={submitKeepingInput(formAction)}
      className="space-y-3"
      aria-labelledby="email-invite-title"
      noValidate
    >
      <h2 id="email-invite-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <TextField
        id="invite-email"
        name="email"
        type="email"
        label={t("label")}
        autoComplete="off"
        help={t("help", { limit })}
        error={error}
      />
      <button type="submit" className="btn-secondary" disabled={pending}>
        {pending ? t("sending") : t("submit")}
      </button>
      <div aria-live="polite">
        {state?.ok === true && (
          <p role="status" className="text-sm text-green-800">
            {t("sent", { email: state.email })}
          </p>
        )}
      </div>
    </form>
  );
}
