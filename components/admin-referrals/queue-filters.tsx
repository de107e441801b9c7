import { getTranslations } from "next-intl/server";

type Filter = { rule?: string; state: string };

/** Rule and state filters as a plain GET form: the address is the filter, so it can be bookmarked and shared. */
export async function QueueFilters({ rules, states, filter }: { rules: string[]; states: string[]; filter: Filter }) {
  const t = await getTranslations("adminReferrals");
  return (
    <form
      method="get"
      action="/admin/referrals"
      role="search"
      aria-label={t("filters.title")}
      className="card grid gap-3 sm:grid-cols-[1fr_auto_auto] sm:items-end"
    >
      <div>
        <label htmlFor="filter-rule" className="label">
          {t("filters.rule")}
        </label>
        <select id="filter-rule" name="rule" className="field" defaultValue={filter.rule ?? ""}>
          <option value="">{t("filters.anyRule")}</option>
          {rules.map((r) => (
            <option key={r} value={r}>
              {t(`rules.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="filter-state" className="label">
          {t("filters.state")}
        </label>
        <select id="filter-state" name="state" className="field" defaultValue={filter.state}>
          {states.map((s) => (
            <option key={s} value={s}>
              {t(`states.${s}`)}
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
