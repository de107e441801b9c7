import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { CustomerView } from "@/lib/admin";
import { formatMoney } from "@/lib/money/format";
import { AdminSection } from "./admin-section";

/** BILL-3: resource packs with what each still holds, and whether it can be spent. */
export async function CustomerPacks({ packs }: { packs: CustomerView["packs"] }) {
  const [t, format, locale] = await Promise.all([
    getTranslations("adminConsole.customer"),
    getFormatter(),
    getLocale(),
  ]);
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "medium", timeStyle: "short" }) : "—");
  return (
    <AdminSection id="cust-packs" title={t("packsTitle")} scrolls>
      {packs.length === 0 ? (
        <p>{t("noPacks")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("pack")}</th>
              <th scope="col">{t("value")}</th>
              <th scope="col">{t("remaining")}</th>
              <th scope="col">{t("activated")}</th>
              <th scope="col">{t("expires")}</th>
              <th scope="col">{t("packState")}</th>
            </tr>
          </thead>
          <tbody>
            {packs.map((p) => (
              <tr key={p.id}>
                <td>
                  <code className="font-mono">{p.product}</code>
                </td>
                <td className="tabular-nums">{formatMoney(p.valueMinor, p.currency, locale)}</td>
                <td className="tabular-nums">{formatMoney(p.remainingMinor, p.currency, locale)}</td>
                <td>{when(p.activatedAt)}</td>
                <td>{when(p.expiresAt)}</td>
                <td>
                  {p.closedAt
                    ? t("packClosed", { time: when(p.closedAt) })
                    : p.activatedAt
                      ? t("packLive")
                      : t("packWaiting")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminSection>
  );
}
