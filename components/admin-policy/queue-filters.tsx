import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { Filter } from "./queue-fields";

/**
 * State and rule filters as a plain GET form: the address is the filter, so it
 * can be bookmarked and shared. A queue narrowed to one customer (from their
 * page) keeps that narrowing and offers the way back to everyone.
 */
export async function QueueFilters({
  rules,
  states,
  filter,
  customer,
}: {
  rules: string[];
  states: readonly string[];
  filter: Filter;
  customer?: string;
}) {
  const t = await getTranslations("adminPolicy");
  return (
    <form
      method="get"
      action="/admin/violations"
      role="search"
      aria-label={t("filters.title")}
      className="card grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
    >
      {filter.user && (
        <p className="text-sm sm:col-span-3">
          <input type="hidden" name="user" value={filter.user} />
          <span className="wrap-anywhere">{t("forCustomer", { email: customer ?? filter.user })}</span> ·{" "}
          <Link className="text-brand-700 underline" href="/admin/violations">
            {t("showEveryone")}
          </Link>
        </p>
      )}
      <div>
        <label htmlFor="filter-state" className="label">
          {t("filters.state")}
        </label>
        <select id="filter-state" name="state" className="field" defaultValue={filter.state}>
          {states.map((s) => (
            <option key={s} value={s}>
              {t(`states.${s}` as "states.all")}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="filter-rule" className="label">
          {t("filters.rule")}
        </label>
        <select id="filter-rule" name="rule" className="field" defaultValue={filter.rule ?? ""}>
          <option value="">{t("filters.anyRule")}</option>
          {rules.map((r) => (
            <option key={r} value={r}>
              {t.has(`rules.${r}`) ? t(`rules.${r}` as "rules.not_coding") : r}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn-secondary">
        {t("filters.apply")}
      </button>
    </form>
  );
}
