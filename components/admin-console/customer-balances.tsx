import { getLocale, getTranslations } from "next-intl/server";
import type { CustomerView } from "@/lib/admin";
import { formatMoney } from "@/lib/money/format";
import { AdminSection } from "./admin-section";

/** Credits, cash and packs per currency, straight from the ledger accounts (WALLET-3). */
export async function CustomerBalances({ balances }: { balances: CustomerView["balances"] }) {
  const [t, locale] = await Promise.all([getTranslations("adminConsole.customer"), getLocale()]);
  return (
    <AdminSection id="cust-balances" title={t("balancesTitle")} scrolls>
      {balances.length === 0 ? (
        <p>{t("noBalances")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("currency")}</th>
              <th scope="col">{t("credits")}</th>
              <th scope="col">{t("cash")}</th>
              <th scope="col">{t("packs")}</th>
            </tr>
          </thead>
          <tbody>
            {balances.map((b) => (
              <tr key={b.currency} data-testid={`balance-${b.currency}`}>
                <td>{b.currency}</td>
                <td className="tabular-nums" data-testid="balance-credits">
                  {formatMoney(b.creditsMinor, b.currency, locale)}
                </td>
                <td className="tabular-nums">{formatMoney(b.cashMinor, b.currency, locale)}</td>
                <td className="tabular-nums">{formatMoney(b.packsMinor, b.currency, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminSection>
  );
}
