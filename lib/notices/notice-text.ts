import { createTranslator } from "use-intl/core";
import { isLocale, type Locale } from "../i18n/config";
import { messagesFor } from "../i18n/messages";
import { formatMoney } from "../money/format";

type Params = Record<string, string | number>;

/**
 * A notice in the reader's language and time zone: money from minor units and
 * currency, times from ISO strings. The same text serves the in-app list and
 * the e-mail copy.
 */
export function noticeText(notice: { kind: string; params: unknown }, locale: string, timeZone: string) {
  const lang: Locale = isLocale(locale) ? locale : "en";
  const t = createTranslator({ locale: lang, messages: messagesFor(lang), namespace: "noticeKinds" });
  const raw = (notice.params ?? {}) as Params;
  const messages = messagesFor(lang);
  const reason = String(raw.reason ?? "other");
  const reasonText =
    messages.declines[(reason in messages.declines ? reason : "other") as keyof typeof messages.declines];
  const when = (iso: string | number | undefined) =>
    iso === undefined
      ? ""
      : new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone }).format(
          new Date(String(iso)),
        );
  const values: Params = {
    ...raw,
    reasonText,
    amount: raw.amountMinor !== undefined ? formatMoney(BigInt(raw.amountMinor), String(raw.currency), lang) : "",
    retryAt: when(raw.retryAt),
    renewsAt: when(raw.renewsAt),
    cutoffAt: when(raw.cutoffAt),
    periodEnd: when(raw.periodEnd),
    until: when(raw.until),
    resetAt: when(raw.resetAt),
    thresholdAmount:
      raw.thresholdMinor !== undefined && raw.currency !== undefined
        ? formatMoney(BigInt(raw.thresholdMinor), String(raw.currency), lang)
        : "",
    ruleText:
      raw.rule !== undefined
        ? (messages.policyRules[String(raw.rule) as keyof typeof messages.policyRules] ?? String(raw.rule))
        : "",
  };
  const key = notice.kind as "renewal_failed";
  return { title: t(`${key}.title`, values), body: t(`${key}.body`, values) };
}
