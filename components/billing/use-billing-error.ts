import { useFormatter, useLocale, useTranslations } from "next-intl";
import { formatMoney } from "@/lib/money/format";
import { useErrorText } from "../form-error";

// Parameters that carry an instant (ISO string) are shown in the viewer's zone.
const INSTANT_PARAMS = new Set(["cutoffAt", "nextRelease"]);
// Parameters that carry an amount in minor units, in the `currency` parameter's currency.
const MONEY_PARAMS = new Set(["rest"]);

/** A billing refusal in the viewer's language, with its times in the viewer's zone and a decline reason in words. */
export function useBillingErrorText() {
  const errorText = useErrorText();
  const format = useFormatter();
  const declines = useTranslations("declines");
  const locale = useLocale();
  return (code: string | undefined, params?: Record<string, string>) => {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(params ?? {}))
      values[k] = INSTANT_PARAMS.has(k)
        ? format.dateTime(new Date(v), { dateStyle: "medium", timeStyle: "long" })
        : MONEY_PARAMS.has(k) && params?.currency
          ? formatMoney(BigInt(v), params.currency, locale)
          : k === "reason"
            ? declines(declines.has(v) ? v : "other")
            : v;
    return errorText(code, values);
  };
}
