import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { UsageDayTotal } from "@/lib/admin";
import { formatMoney } from "@/lib/money/format";
import type { QuotaStatus } from "@/lib/quota";
import { AdminSection } from "./admin-section";

type Window = QuotaStatus["fiveHour"];

/** QUOTA-10's windows as the gateway counts them now, and BILL-2's daily consumption. */
export async function CustomerUsage({
  quota,
  days,
  dayCount,
}: {
  quota: QuotaStatus | null;
  days: UsageDayTotal[];
  dayCount: number;
}) {
  const [t, format, locale] = await Promise.all([
    getTranslations("adminConsole.customer"),
    getFormatter(),
    getLocale(),
  ]);
  const n = (v: number | bigint) => format.number(v);
  const windows: [string, Window | null][] = quota
    ? [
        [t("fiveHour"), quota.fiveHour],
        [t("weekly"), quota.weekly],
        [t("monthly"), quota.monthly],
      ]
    : [];
  // A usage day is a calendar date, not an instant: shown as the date it names.
  const dayLabel = (day: string) =>
    format.dateTime(new Date(`${day}T00:00:00Z`), { dateStyle: "medium", timeZone: "UTC" });
  return (
    <AdminSection id="cust-usage" title={t("usageTitle")} scrolls>
      <h3 className="font-semibold">{t("quotaTitle")}</h3>
      {!quota ? (
        <p>{t("noQuota")}</p>
      ) : (
        <table className="data-table" data-testid="quota-windows">
          <thead>
            <tr>
              <th scope="col">{t("window")}</th>
              <th scope="col">{t("used")}</th>
              <th scope="col">{t("resets")}</th>
            </tr>
          </thead>
          <tbody>
            {windows.map(([label, w]) => (
              <tr key={label}>
                <th scope="row" className="font-normal">
                  {label}
                </th>
                <td className="tabular-nums">{w ? `${n(w.used)} / ${n(w.limit)}` : t("noWeeklyCap")}</td>
                <td>
                  {w?.resetAt
                    ? format.dateTime(w.resetAt, { dateStyle: "medium", timeStyle: "short" })
                    : w
                      ? t("nothingUsed")
                      : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="font-semibold">{t("daysTitle", { days: dayCount })}</h3>
      <p className="text-sm text-slate-600">{t("daysHelp")}</p>
      {days.length === 0 ? (
        <p>{t("noUsage", { days: dayCount })}</p>
      ) : (
        <table className="data-table" data-testid="usage-days">
          <thead>
            <tr>
              <th scope="col">{t("day")}</th>
              <th scope="col">{t("calls")}</th>
              <th scope="col">{t("inputTokens")}</th>
              <th scope="col">{t("outputTokens")}</th>
              <th scope="col">{t("charged")}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={`${d.day}:${d.currency}`}>
                <td className="whitespace-nowrap">{dayLabel(d.day)}</td>
                <td className="tabular-nums">{n(d.calls)}</td>
                <td className="tabular-nums">{n(d.inputTokens)}</td>
                <td className="tabular-nums">{n(d.outputTokens)}</td>
                <td className="tabular-nums">{formatMoney(d.amountMinor, d.currency, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminSection>
  );
}
