import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { AuditPage } from "@/lib/audit/query";

/**
 * A before/after value as "key: value" pairs (amounts are already strings in
 * the log). Postgres stores JSON objects with their keys reordered, so the
 * pairs are sorted here to read the same way on every row.
 */
function pairs(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object" || Array.isArray(v)) return JSON.stringify(v);
  return Object.entries(v)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, x]) => `${k}: ${typeof x === "string" ? x : JSON.stringify(x)}`)
    .join(" · ");
}

/**
 * Audit entries, newest first, with what changed; a page at a time (older
 * entries behind a link). Columns keep a minimum width: on a phone the table
 * scrolls sideways rather than squeezing every cell into a column of letters.
 */
export async function AuditTable({
  entries,
  olderHref,
  newestHref,
}: {
  entries: AuditPage["entries"];
  olderHref: string | null;
  newestHref: string | null;
}) {
  const [t, format] = await Promise.all([getTranslations("adminConsole.audit"), getFormatter()]);
  return (
    <section className="card space-y-3 overflow-x-auto" aria-labelledby="audit-entries" tabIndex={0}>
      <h2 id="audit-entries" className="sr-only">
        {t("title")}
      </h2>
      {entries.length === 0 ? (
        <p data-testid="audit-empty">{t("empty")}</p>
      ) : (
        <>
          <p className="text-sm text-slate-700">{t("shown", { count: entries.length })}</p>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("when")}</th>
                <th scope="col">{t("who")}</th>
                <th scope="col">{t("what")}</th>
                <th scope="col">{t("subjectCol")}</th>
                <th scope="col">{t("change")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={String(e.id)} data-testid="audit-entry">
                  <td className="whitespace-nowrap">
                    {format.dateTime(e.createdAt, { dateStyle: "short", timeStyle: "medium" })}
                  </td>
                  <td className="min-w-44 break-all">{e.actorEmail ?? t("system")}</td>
                  <td className="whitespace-nowrap">
                    <code>{e.action}</code>
                  </td>
                  <td className="min-w-48 break-all">
                    {e.subjectType}
                    {e.subjectId && (
                      <>
                        {" "}
                        <code className="text-xs">{e.subjectId}</code>
                      </>
                    )}
                    {e.subjectType === "user" && e.subjectId && (
                      <>
                        {" "}
                        ·{" "}
                        <Link className="text-brand-700 underline" href={`/admin/customers/${e.subjectId}`}>
                          {t("customerLink")}
                        </Link>
                      </>
                    )}
                  </td>
                  <td className="min-w-72 text-xs">
                    {pairs(e.before) && (
                      <p className="break-words">
                        <span className="text-slate-600">{t("before")}:</span> <code>{pairs(e.before)}</code>
                      </p>
                    )}
                    {pairs(e.after) && (
                      <p className="break-words">
                        <span className="text-slate-600">{t("after")}:</span> <code>{pairs(e.after)}</code>
                      </p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="flex flex-wrap gap-4 text-sm">
        {newestHref && (
          <Link className="text-brand-700 underline" href={newestHref}>
            {t("newest")}
          </Link>
        )}
        {olderHref && (
          <Link className="text-brand-700 underline" href={olderHref}>
            {t("older")}
          </Link>
        )}
      </div>
    </section>
  );
}
