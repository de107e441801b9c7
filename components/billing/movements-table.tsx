import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { Movement } from "@/lib/ledger";
import { formatMoney } from "@/lib/money/format";

/** Wallet movements with the balance each one left; scrolls sideways on phones (hence the tabIndex, for keyboards). */
export async function MovementsTable({ movements, title }: { movements: Movement[]; title: string }) {
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  return (
    <section className="card overflow-x-auto" aria-labelledby="movements-title" tabIndex={0}>
      <h2 id="movements-title" className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {movements.length === 0 ? (
        <p>{t("billing.noMovements")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("billing.when")}</th>
              <th scope="col">{t("billing.what")}</th>
              <th scope="col">{t("billing.account")}</th>
              <th scope="col">{t("billing.amount")}</th>
              <th scope="col">{t("billing.balanceAfter")}</th>
            </tr>
          </thead>
          <tbody>
            {movements.map((m, i) => (
              <tr key={i}>
                <td>{format.dateTime(m.at, { dateStyle: "medium", timeStyle: "short" })}</td>
                <td>
                  {t(`movementKinds.${m.kind}`)}
                  {m.memo ? ` — ${m.memo}` : ""}
                </td>
                <td>{t(`accounts.${m.account}`)}</td>
                <td className="tabular-nums">{formatMoney(m.amountMinor, m.currency, locale)}</td>
                <td className="tabular-nums">{formatMoney(m.balanceAfterMinor, m.currency, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
