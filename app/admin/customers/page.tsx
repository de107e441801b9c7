import { getTranslations } from "next-intl/server";
import { CustomerResults } from "@/components/admin-console/customer-results";
import { CustomerSearchForm } from "@/components/admin-console/customer-search-form";
import { customerSearch } from "@/lib/admin/face";
import { requireAdmin } from "@/lib/auth/session";

const LIMIT = 50;

export async function generateMetadata() {
  return { title: (await getTranslations("adminConsole.customers"))("title") };
}

/** Customer search (GET ?q=): by e-mail, name or API key prefix. The address is the search, so it can be shared. */
export default async function AdminCustomersPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string | string[] }>;
}) {
  // SEC-1: the page checks for itself; the layout does not run again on a client-side navigation.
  await requireAdmin();
  const raw = (await searchParams).q;
  const query = (Array.isArray(raw) ? raw[0] : raw)?.trim().slice(0, 200) ?? "";
  const [t, hits] = await Promise.all([getTranslations("adminConsole.customers"), customerSearch(query, LIMIT)]);
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </div>
      {/* Keyed by the query, so the field shows the search the page answers after any navigation. */}
      <CustomerSearchForm key={query} query={query} />
      {query ? (
        <CustomerResults query={query} hits={hits} limit={hits.length === LIMIT ? LIMIT : null} />
      ) : (
        <p className="card">{t("emptyQuery")}</p>
      )}
    </div>
  );
}
