import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { DailyRecord } from "@/lib/api-billing";
import { formatMoney, formatMoneyMicro } from "@/lib/money/format";

/**
 * BILL-2, BILL-4: daily consumption records, each naming what paid for it;
 * the amount comes right after, so a phone shows it before any scrolling,
 * then the calls' exact fee (BILL-1, to the micro-unit) that the charged
 * whole units add up to.
 * `shown` is how many the page asked for: when that many came back there
 * may be more, and the CSV has them all.
 */
export async function DailyTable({
  records,
  shown,
  timeZone,
}: {
  records: DailyRecord[];
  shown: number;
  timeZone: string;
}) {
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  // A record's day is a calendar date in the region's zone, not an instant: formatted as a date in UTC, it stays that date for every viewer.
  const day = (d: string) => format.dateTime(new Date(`${d}T00:00:00Z`), { dateStyle: "medium", timeZone: "UTC" });
  const paidFrom = (r: DailyRecord) => {
    if (r.source !== "pack") return t(`billing.sources.${r.source}`);
    const product = r.pack?.product ?? "";
    const name = t.has(`packs.names.${product}`) ? t(`packs.names.${product}` as "packs.names.starter") : product;
    const expiry = r.pack?.expiresAt
      ? format.dateTime(r.pack.expiresAt, { dateStyle: "medium", timeStyle: "short" })
      : "—";
    return t("billing.sourcePack", { name, expiry });
  };
  return (
    // tabIndex: the table scrolls sideways on phones, and keyboard users must be able to reach and scroll it.
    <section className="card space-y-3 overflow-x-auto" aria-labelledby="daily-title" tabIndex={0}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="daily-title" className="text-lg font-semibold">
          {t("billing.daily")}
        </h2>
        <a className="btn-secondary py-1 text-sm" href="/api/billing/export?type=daily" download>
          {t("billing.exportDaily")}
        </a>
      </div>
      <p className="text-sm text-slate-700" data-testid="daily-intro">
        {t("billing.dailyIntro", { timeZone })}
      </p>
      <p className="text-sm text-slate-700">{t("billing.dailyExact")}</p>
      {records.length === 0 ? (
        <p data-testid="no-daily">{t("billing.noDaily")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("billing.day")}</th>
              <th scope="col">{t("billing.model")}</th>
              <th scope="col">{t("billing.paidFrom")}</th>
              <th scope="col">{t("billing.amount")}</th>
              <th scope="col">{t("billing.exactFee")}</th>
              <th scope="col">{t("billing.calls")}</th>
              <th scope="col">{t("billing.inputTokens")}</th>
              <th scope="col">{t("billing.outputTokens")}</th>
              <th scope="col">{t("billing.cachedTokens")}</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={`${r.day}:${r.model}:${r.source}:${r.pack?.id ?? ""}`} data-testid="daily-record">
                <td className="whitespace-nowrap">{day(r.day)}</td>
                <td className="whitespace-nowrap">{r.model}</td>
                <td className="min-w-40">{paidFrom(r)}</td>
                <td className="tabular-nums whitespace-nowrap">{formatMoney(r.amountMinor, r.currency, locale)}</td>
                <td className="tabular-nums whitespace-nowrap" data-testid="daily-exact">
                  {formatMoneyMicro(r.amountMicro, r.currency, locale)}
                </td>
                <td className="tabular-nums">{format.number(r.calls)}</td>
                <td className="tabular-nums">{format.number(r.inputTokens)}</td>
                <td className="tabular-nums">{format.number(r.outputTokens)}</td>
                <td className="tabular-nums">{format.number(r.cachedTokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {records.length >= shown && <p className="text-sm text-slate-700">{t("billing.dailyMore", { count: shown })}</p>}
    </section>
  );
}
