import { getTimeZone, getTranslations } from "next-intl/server";
import { AuditFilters } from "@/components/admin-console/audit-filters";
import { AuditTable } from "@/components/admin-console/audit-table";
import { auditPage } from "@/lib/audit/face";
import { auditHref, auditSearch, dateBounds } from "./filters";
import { requireAdmin } from "@/lib/auth/session";

const PAGE_SIZE = 50;

export async function generateMetadata() {
  return { title: (await getTranslations("adminConsole.audit"))("title") };
}

/** The audit log, newest first, filtered by action prefix, actor, subject and dates, a page at a time. */
export default async function AdminAuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // SEC-1: the page checks for itself; the layout does not run again on a client-side navigation.
  await requireAdmin();
  const raw = await searchParams;
  const search = auditSearch.parse(
    Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
  );
  const [t, zone] = await Promise.all([getTranslations("adminConsole.audit"), getTimeZone()]);
  const page = await auditPage(
    { actionPrefix: search.action, actorEmail: search.actor, subjectId: search.subject, ...dateBounds(search, zone) },
    { before: search.before ? BigInt(search.before) : undefined, limit: PAGE_SIZE },
  );
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </div>
      {/* Keyed by the filter: after a navigation (clearing, a link) the fields show the new filter, not what was typed before. */}
      <AuditFilters key={auditHref(search)} search={search} zone={zone} />
      <AuditTable
        entries={page.entries}
        olderHref={page.nextBefore !== null ? auditHref(search, page.nextBefore) : null}
        newestHref={search.before ? auditHref(search) : null}
      />
    </div>
  );
}
