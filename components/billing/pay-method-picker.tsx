"use client";

import { useTranslations } from "next-intl";
import type { PayMethod, RecurringWallet } from "@/lib/payments/port";

/**
 * PAY-3: how to pay what the wallet does not cover, one radio per method the
 * site offers. Uncontrolled inside a form (`name="method"`), or controlled
 * with `value`/`onChange` when several forms share one choice (resource packs).
 * For a plan, `recurring` lists the wallets the buyer may save for renewals:
 * a box, unticked by default, asks for the agreement (`saveForRenewals` names
 * the wallet, so it applies only if that wallet is the one paid with).
 * `savedWallet` is one saved already: it is charged under its agreement.
 */
export function PayMethodPicker({
  methods,
  defaultMethod,
  value,
  onChange,
  idPrefix = "pay",
  recurring = [],
  savedWallet,
}: {
  methods: PayMethod[];
  defaultMethod?: PayMethod;
  value?: PayMethod;
  onChange?: (m: PayMethod) => void;
  idPrefix?: string;
  recurring?: RecurringWallet[];
  savedWallet?: RecurringWallet;
}) {
  const t = useTranslations("payMethods");
  return (
    <fieldset className="space-y-2">
      <legend className="mb-1 font-semibold">{t("legend")}</legend>
      {methods.map((m) => (
        <label
          key={m}
          htmlFor={`${idPrefix}-${m}`}
          className="flex min-h-11 cursor-pointer items-start gap-3 rounded-lg border border-slate-300 p-3 has-[:checked]:border-brand-700 has-[:checked]:bg-indigo-50"
        >
          <input
            id={`${idPrefix}-${m}`}
            type="radio"
            name="method"
            value={m}
            className="mt-1 size-4"
            aria-describedby={`${idPrefix}-${m}-hint`}
            {...(onChange
              ? { checked: value === m, onChange: () => onChange(m) }
              : { defaultChecked: m === (defaultMethod ?? methods[0]) })}
          />
          <span>
            <span className="block font-medium">{t(m)}</span>
            <span id={`${idPrefix}-${m}-hint`} className="block text-sm text-slate-700">
              {t(m === savedWallet ? `${m}SavedHint` : `${m}Hint`)}
            </span>
          </span>
        </label>
      ))}
      {recurring
        .filter((w) => methods.includes(w) && w !== savedWallet)
        .map((w) => (
          <label
            key={`save-${w}`}
            htmlFor={`${idPrefix}-save-${w}`}
            className="flex min-h-11 cursor-pointer items-start gap-3 p-3 text-sm"
          >
            <input
              id={`${idPrefix}-save-${w}`}
              type="checkbox"
              name="saveForRenewals"
              value={w}
              className="mt-0.5 size-4"
            />
            <span>{t(`${w}Save`)}</span>
          </label>
        ))}
    </fieldset>
  );
}
