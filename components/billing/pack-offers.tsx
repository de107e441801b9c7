"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import type { PayMethod, RecurringWallet } from "@/lib/payments/port";
import { PayMethodPicker } from "./pay-method-picker";
import type { ActionResult } from "@/lib/http/action-result";
import { useBillingErrorText } from "./use-billing-error";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult<object>>;

/** A pack on sale, its amounts already formatted; `requestId` is this offer's own, fresh with every render of the page. */
export type PackOffer = {
  id: string;
  name: string;
  price: string;
  value: string;
  validDays: number;
  requestId: string;
};

/**
 * The packs on sale, one small form each. The forms share one action state,
 * so a refusal is said once, below them, whichever pack was chosen; each
 * form has its own request id, so retrying one pack can never become an
 * order for another.
 */
export function PackOffers({
  action,
  offers,
  methods = ["card"],
  savedWallet,
}: {
  action: Action;
  offers: PackOffer[];
  methods?: PayMethod[];
  /** An Alipay agreement saved (PAY-3): Alipay is charged under it, no redirect. */
  savedWallet?: RecurringWallet;
}) {
  const t = useTranslations("packs");
  const errorText = useBillingErrorText();
  const [state, formAction, pending] = useActionState(action, null);
  // PAY-3: one choice for every pack's form.
  const [method, setMethod] = useState<PayMethod>(methods[0]);
  return (
    <div className="space-y-3">
      {methods.length > 1 && (
        <PayMethodPicker
          methods={methods}
          value={method}
          onChange={setMethod}
          idPrefix="pack"
          savedWallet={savedWallet}
        />
      )}
      <ul className="grid gap-3 sm:grid-cols-3">
        {offers.map((o) => (
          <li key={o.id} className="rounded-lg border border-slate-200 p-3" data-testid={`pack-offer-${o.id}`}>
            <h4 className="font-semibold">{o.name}</h4>
            <dl className="my-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-600">{t("price")}</dt>
              <dd className="tabular-nums">{o.price}</dd>
              <dt className="text-slate-600">{t("value")}</dt>
              <dd className="tabular-nums">{o.value}</dd>
              <dt className="text-slate-600">{t("validity")}</dt>
              <dd>{t("validDays", { days: o.validDays })}</dd>
            </dl>
            <form action={formAction}>
              <input type="hidden" name="productId" value={o.id} />
              <input type="hidden" name="requestId" value={o.requestId} />
              {methods.length > 1 && <input type="hidden" name="method" value={method} />}
              <button type="submit" className="btn-primary w-full" disabled={pending}>
                {pending ? t("buying") : t("buy", { name: o.name })}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <div aria-live="polite">
        {state?.ok === false && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {errorText(state.error, state.params)}
          </p>
        )}
      </div>
    </div>
  );
}
