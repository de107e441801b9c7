import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { KeyUsage } from "@/lib/quota";
import { formatMoneyMicro } from "@/lib/money/format";

/** KEY-1: one key's prompts, calls, tokens and spend over the last 7 and 30 days, as a small table that fits a phone. */
export async function KeyUsageTable({
  keyId,
  last7,
  last30,
  currency,
}: {
  keyId: string;
  last7: KeyUsage;
  last30: KeyUsage;
  currency: string;
}) {
  const [t, format, locale] = await Promise.all([getTranslations("keys"), getFormatter(), getLocale()]);
  const rows = [
    { label: t("usagePrompts"), get: (u: KeyUsage) => format.number(u.prompts) },
    { label: t("usageCalls"), get: (u: KeyUsage) => format.number(u.calls) },
    { label: t("usageTokens"), get: (u: KeyUsage) => format.number(u.tokens) },
    { label: t("usageSpend"), get: (u: KeyUsage) => formatMoneyMicro(u.spendMicro, currency, locale) },
  ];
  return (
    <table className="mt-2 w-full text-sm" data-testid="key-usage">
      <caption className="text-left font-medium">{t("usageTitle")}</caption>
      <thead>
        <tr>
          <th scope="col" className="text-left font-normal text-slate-600">
            <span className="sr-only">{t("usageWhat")}</span>
          </th>
          <th scope="col" className="text-right font-normal text-slate-600" id={`${keyId}-7d`}>
            {t("usage7")}
          </th>
          <th scope="col" className="text-right font-normal text-slate-600" id={`${keyId}-30d`}>
            {t("usage30")}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row" className="text-left font-normal">
              {r.label}
            </th>
            <td className="text-right tabular-nums">{r.get(last7)}</td>
            <td className="text-right tabular-nums">{r.get(last30)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
