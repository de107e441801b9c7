"use client";

import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useActionState, useEffect } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { useErrorText } from "../form-error";

type Action = () => Promise<ActionResult>;

/**
 * SEC-1: ends every session of the account (other browsers on their next
 * request), then this one: the server has already revoked its token, signing
 * out here only clears the cookie and lands on the sign-in page.
 */
export function SignOutEverywhere({ action }: { action: Action }) {
  const t = useTranslations("sessions");
  const errorText = useErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const done = state?.ok === true;
  useEffect(() => {
    if (done) void signOut({ callbackUrl: "/sign-in" });
  }, [done]);
  return (
    <section className="card space-y-3" aria-labelledby="sessions-title">
      <h2 id="sessions-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-700">{t("help")}</p>
      <form action={formAction} aria-busy={pending || done}>
        <button type="submit" className="btn-secondary" disabled={pending || done}>
          {pending || done ? t("working") : t("signOutEverywhere")}
        </button>
      </form>
      <div aria-live="polite">
        {state?.ok === false && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error)}
          </p>
        )}
      </div>
    </section>
  );
}
