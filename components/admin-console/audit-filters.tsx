import Link from "next/link";
import { getTranslations } from "next-intl/server";

type Search = { action?: string; actor?: string; subject?: string; from?: string; to?: string };

/** The audit log's filters as a plain GET form: the address is the filter, so it can be bookmarked and shared. */
export async function AuditFilters({ search, zone }: { search: Search; zone: string }) {
  const t = await getTranslations("adminConsole.audit");
  const field = (id: keyof Search, label: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <div>
      <label htmlFor={`audit-${id}`} className="label">
        {label}
      </label>
      <input
        id={`audit-${id}`}
        name={id}
        className="field"
        defaultValue={search[id] ?? ""}
        autoComplete="off"
        spellCheck={false}
        {...extra}
      />
    </div>
  );
  return (
    <form method="get" action="/admin/audit" role="search" aria-label={t("filters")} className="card space-y-3">
      <div className="grid gap-3 sm:grid-cols-3">
        {field("action", t("action"), { maxLength: 100, "aria-describedby": "audit-action-help" })}
        {field("actor", t("actor"), { maxLength: 200, type: "search" })}
        {field("subject", t("subject"), { maxLength: 100 })}
      </div>
      <p id="audit-action-help" className="text-sm text-slate-600">
        {t("actionHelp")}
      </p>
      <div className="grid gap-3 sm:grid-cols-3">
        {field("from", t("from"), { type: "date", "aria-describedby": "audit-dates-help" })}
        {field("to", t("to"), { type: "date", "aria-describedby": "audit-dates-help" })}
      </div>
      <p id="audit-dates-help" className="text-sm text-slate-600">
        {t("datesHelp", { zone })}
      </p>
      <div className="flex flex-wrap items-center gap-4">
        <button type="submit" className="btn-primary">
          {t("apply")}
        </button>
        <Link href="/admin/audit" className="text-brand-700 underline">
          {t("clear")}
        </Link>
      </div>
    </form>
  );
}
