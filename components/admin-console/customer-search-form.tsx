import { getTranslations } from "next-intl/server";

/** A plain GET form: works without JavaScript, and the result page's address holds the search. */
export async function CustomerSearchForm({ query }: { query: string }) {
  const t = await getTranslations("adminConsole.customers");
  return (
    <form
      method="get"
      action="/admin/customers"
      role="search"
      aria-label={t("title")}
      className="card flex flex-col gap-3 sm:flex-row sm:items-end"
    >
      <div className="flex-1">
        <label htmlFor="customer-query" className="label">
          {t("searchLabel")}
        </label>
        <input
          id="customer-query"
          name="q"
          type="search"
          className="field"
          defaultValue={query}
          maxLength={200}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <button type="submit" className="btn-primary">
        {t("search")}
      </button>
    </form>
  );
}
