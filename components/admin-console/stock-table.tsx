import { getFormatter, getTimeZone, getTranslations } from "next-intl/server";
import type { stockStatus } from "@/lib/billing";
import { AdminSection } from "./admin-section";

type Stock = Awaited<ReturnType<typeof stockStatus>>;

/**
 * Per tier: the daily count, sold today and left; and the release times in
 * the viewer's zone with the stock's own zone (Asia/Shanghai) beside them,
 * since that is where "10:00" is true.
 */
export async function StockTable({ stock, stockZone }: { stock: Stock; stockZone: string }) {
  const [t, all, format, zone] = await Promise.all([
    getTranslations("adminConsole.stock"),
    getTranslations(),
    getFormatter(),
    getTimeZone(),
  ]);
  const both = (d: Date, key: "releaseAt" | "dayStarted") =>
    t(key, {
      local: format.dateTime(d, { dateStyle: "medium", timeStyle: "short", timeZone: zone }),
      zone: stockZone,
      other: format.dateTime(d, { dateStyle: "medium", timeStyle: "short", timeZone: stockZone }),
    });
  const next = both(stock.nextRelease, "releaseAt");
  return (
    <AdminSection id="stock-title" title={t("tableLabel")} scrolls>
      <p className="text-sm text-slate-700" data-testid="stock-day">
        {both(stock.dayStart, "dayStarted")}
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t("tier")}</th>
            <th scope="col">{t("capacity")}</th>
            <th scope="col">{t("sold")}</th>
            <th scope="col">{t("left")}</th>
            <th scope="col">{t("nextRelease")}</th>
          </tr>
        </thead>
        <tbody>
          {stock.tiers.map((s) => (
            <tr key={s.tier} data-testid={`stock-${s.tier}`}>
              <th scope="row" className="font-medium">
                {all(`tiers.${s.tier}`)}
              </th>
              <td className="tabular-nums">{format.number(s.capacity)}</td>
              <td className="tabular-nums">{format.number(s.sold)}</td>
              <td className="tabular-nums">
                {format.number(s.remaining)}
                {s.remaining === 0 && ` · ${t("soldOut")}`}
              </td>
              <td>{next}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminSection>
  );
}
