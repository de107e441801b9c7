"use client";

import { useActionState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { ReasonField } from "./reason-field";
import { submitKeepingInput } from "./submit-keeping-input";

type ReasonAction = (prev: unknown, form: FormData) => Promise<ActionResult>;

/**
 * An admin decision given with a reason: what the caller puts first (title,
 * hidden fields), the reason field, the caller's buttons (told when the action
 * is running, to disable them), then one live region for "working…" and for a
 * refusal that is not about a field. Refusal codes are turned into text by the
 * caller, so each screen keeps its own messages.
 */
export function ReasonForm({
  action,
  errorText,
  working,
  reason,
  buttons,
  className,
  labelledBy,
  children,
}: {
  action: ReasonAction;
  errorText: (code: string | undefined) => string | undefined;
  working: string;
  reason: { id: string; label: ReactNode; help: string };
  buttons: (pending: boolean) => ReactNode;
  className: string;
  labelledBy?: string;
  children: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  return (
    <form
      noValidate
      onSubmit={submitKeepingInput(formAction)}
      aria-busy={pending}
      aria-labelledby={labelledBy}
      className={className}
    >
      {children}
      <ReasonField {...reason} error={errorText(fe?.reason)} />
      {buttons(pending)}
      <div aria-live="polite">
        {pending && <p className="text-sm text-slate-600">{working}</p>}
        {state?.ok === false && !fe && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error)}
          </p>
        )}
      </div>
    </form>
  );
}
