"use client";

import { useActionState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { useBillingErrorText } from "./use-billing-error";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<object>>;

/**
 * One billing action as a form with a single button: hidden fields carry what
 * it acts on; a refusal shows under the button, in the viewer's language.
 */
export function ActionButton({
  action,
  fields = {},
  label,
  pendingLabel,
  variant = "primary",
  describedBy,
  children,
}: {
  action: Action;
  fields?: Record<string, string>;
  label: string;
  pendingLabel: string;
  variant?: "primary" | "secondary";
  describedBy?: string;
  /** More fields the buyer fills in before the button (a payment method, PAY-3). */
  children?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const errorText = useBillingErrorText();
  return (
    <form action={formAction} className="space-y-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <button
        type="submit"
        className={variant === "primary" ? "btn-primary" : "btn-secondary"}
        disabled={pending}
        aria-describedby={describedBy}
      >
        {pending ? pendingLabel : label}
      </button>
      <div aria-live="polite">
        {state?.ok === false && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error, state.params)}
          </p>
        )}
      </div>
    </form>
  );
}
