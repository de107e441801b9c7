import { useFormatter, useTranslations } from "next-intl";
import { useErrorText } from "../form-error";

// Parameters that carry an instant (ISO string) are shown in the viewer's zone.
const INSTANT_PARAMS = new Set(["cutoffAt", "nextRelease"]);

/** A billing refusal in the viewer's language, with its times in the viewer's zone and a decline reason in words. */
export function useBillingErrorText() {
  const errorText = useErrorText();
  const format = useFormatter();
  const declines = useTranslations("declines");
  return (code: string | undefined, params?: Record<string, string>) => {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(params ?? {}))
      values[k] = INSTANT_PARAMS.has(k) ? format.dateTime(new Date(v), { dateStyle: "medium", timeStyle: "long" }) : k === "reason" ? declines(declines.has(v) ? v : "other") : v;
    return errorText(code, values);
  };
}
