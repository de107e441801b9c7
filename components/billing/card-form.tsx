"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionResult } from "@/lib/http/action-result";
import { TextField } from "../text-field";
import { useBillingErrorText } from "./use-billing-error";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<object>>;

/**
 * The local card form, used when CodePlan runs against the local
 * Stripe-compatible server (Stripe.js cannot load offline). It takes Stripe's
 * test card numbers only; the server maps them to Stripe's test payment
 * methods, and a 3-D Secure card goes through the challenge page (PAY-1).
 */
export function CardForm({ action, next, requestId }: { action: Action; next: string; requestId: string }) {
  const t = useTranslations("card");
  const errorText = useBillingErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  const fe = state?.ok === false ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <input type="hidden" name="next" value={next} />
      <input type="hidden" name="requestId" value={requestId} />
      <TextField
        id="card-number"
        name="number"
        label={t("number")}
        inputMode="numeric"
        autoComplete="cc-number"
        placeholder="4242 4242 4242 4242"
        required
        error={fe?.number ? errorText(fe.number) : undefined}
      />
      <div className="grid grid-cols-2 gap-3">
        <TextField
          id="card-expiry"
          name="expiry"
          label={t("expiry")}
          inputMode="numeric"
          autoComplete="cc-exp"
          placeholder="12/30"
          required
          error={fe?.expiry ? errorText(fe.expiry) : undefined}
        />
        <TextField
          id="card-cvc"
          name="cvc"
          label={t("cvc")}
          inputMode="numeric"
          autoComplete="cc-csc"
          placeholder="123"
          required
          error={fe?.cvc ? errorText(fe.cvc) : undefined}
        />
      </div>
      <button type="submit" className="btn-primary" disabled={pending}>
        {pending ? t("saving") : t("save")}
      </button>
      <div aria-live="polite">
        {state?.ok === false && !fe && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error, state.params)}
          </p>
        )}
      </div>
      <div className="rounded-lg bg-slate-50 p-3 text-sm text-slate-700">
        <p>{t("testMode")}</p>
        <ul className="mt-1 list-disc pl-5 font-mono text-xs sm:text-sm">
          <li>{t("test4242")}</li>
          <li>{t("test3184")}</li>
          <li>{t("test0002")}</li>
          <li>{t("test9995")}</li>
        </ul>
        <p className="mt-1">{t("anyExpiry")}</p>
      </div>
    </form>
  );
}
