"use client";

import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef, useState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { useErrorText } from "../form-error";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

/**
 * Revoking stops every tool using the key at once and cannot be undone, so
 * the first click only asks. Focus lands on "Cancel", the harmless answer.
 */
export function RevokeKeyButton({ action, keyId, name }: { action: Action; keyId: string; name: string }) {
  const t = useTranslations("keys");
  const errorText = useErrorText();
  const [confirming, setConfirming] = useState(false);
  const [state, formAction, pending] = useActionState(action, null);
  const cancel = useRef<HTMLButtonElement>(null);
  const questionId = `revoke-${keyId}-question`;

  useEffect(() => {
    if (confirming) cancel.current?.focus();
  }, [confirming]);

  if (!confirming)
    return (
      <button
        type="button"
        className="btn-secondary"
        aria-label={t("revokeLabel", { name })}
        onClick={() => setConfirming(true)}
      >
        {t("revoke")}
      </button>
    );

  return (
    <div
      role="group"
      aria-labelledby={questionId}
      className="space-y-2 rounded-lg border border-red-200 bg-red-50 p-3 sm:max-w-xs"
    >
      <p id={questionId} className="break-words text-sm text-red-900">
        {t("confirmRevoke", { name })}
      </p>
      <form action={formAction} className="flex flex-wrap gap-2">
        <input type="hidden" name="keyId" value={keyId} />
        <button type="submit" className="btn bg-red-700 text-white hover:bg-red-800" disabled={pending}>
          {pending ? t("revoking") : t("confirm")}
        </button>
        <button type="button" ref={cancel} className="btn-secondary" onClick={() => setConfirming(false)}>
          {t("cancel")}
        </button>
      </form>
      <div aria-live="polite">
        {state?.ok === false && (
          <p role="alert" className="text-sm text-red-800">
            {errorText(state.error, state.params)}
          </p>
        )}
      </div>
    </div>
  );
}
