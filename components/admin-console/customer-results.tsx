import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { CustomerHit } from "@/lib/admin";

/** Search results as a table; scrolls sideways on phones (hence the tabIndex, for keyboards). */
export async function CustomerResults({
  query,
  hits,
  limit,
}: {
  query: string;
  hits: CustomerHit[];
  limit: number | null;
}) {
  const [t, all, format] = await Promise.all([
    getTranslations("adminConsole.customers"),
    getTranslations(),
    getFormatter(),
  ]);
  if (hits.length === 0)
    return (
      <p className="card" data-testid="no-customers">
        {t("noResults", { query })}
      </p>
    );
  return (
    <section className="card space-y-3 overflow-x-auto" aria-labelledby="results-title" tabIndex={0}>
      <h2 id="results-title" className="text-lg font-semibold">
        {t("resultsLabel")}
      </h2>
      <p className="text-sm text-slate-700">
        {t("results", { count: hits.length, query })}
        {limit && <> {t("limited", { limit })}</>}
      </p>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t("email")}</th>
            <th scope="col">{t("name")}</th>
            <th scope="col">{t("region")}</th>
            <th scope="col">{t("status")}</th>
            <th scope="col">{t("plan")}</th>
            <th scope="col">{t("created")}</th>
            {hits.some((h) => h.matchedKeys.length > 0) && <th scope="col">{t("matchedKeys")}</th>}
          </tr>
        </thead>
        <tbody>
          {hits.map((h) => (
            <tr key={h.id} data-testid="customer-hit">
              {/* A minimum width: in a table that scrolls sideways, an e-mail broken after every few letters is harder to read than a scroll. */}
              <td className="min-w-48 break-all">
                <Link className="text-brand-700 underline" href={`/admin/customers/${h.id}`}>
                  {h.email}
                </Link>
              </td>
              <td>{h.name ?? t("none")}</td>
              <td>{all(`regions.${h.region}`)}</td>
              <td>
                {all(`statuses.${h.status}`)}
                {h.role === "admin" && ` · ${all("roles.admin")}`}
              </td>
              <td>{h.tier ? all(`tiers.${h.tier}`) : t("none")}</td>
              <td className="whitespace-nowrap">{format.dateTime(h.createdAt, { dateStyle: "medium" })}</td>
              {hits.some((x) => x.matchedKeys.length > 0) && (
                <td>
                  {h.matchedKeys.map((p) => (
                    <code key={p} className="block font-mono">
                      {all("keys.prefixValue", { prefix: p })}
                    </code>
                  ))}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
