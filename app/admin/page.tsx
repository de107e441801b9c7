import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { getAdminOverview } from "@/lib/accounts/admin-overview";
import { openPaymentFlags } from "@/lib/billing/face";
import { isProduction } from "@/lib/config/env";
import { formatMoney } from "@/lib/money/format";
import { openReferralFlagCount } from "@/lib/referrals/face";
import { OpsDashboard } from "./ops-dashboard";
import { ViolationsHomeSummary } from "./violations/home-summary";
import { requireAdmin } from "@/lib/auth/session";

export async function generateMetadata() {
  return { title: (await getTranslations("admin"))("title") };
}

export default async function AdminPage() {
  // SEC-1: the page checks for itself; the layout does not run again on a client-side navigation.
  await requireAdmin();
  const [t, format, locale, { users, audit }, flags, openReferralFlags] = await Promise.all([
    getTranslations(),
    getFormatter(),
    getLocale(),
    getAdminOverview(),
    openPaymentFlags(),
    openReferralFlagCount(),
  ]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "short", timeStyle: "medium" });
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">{t("admin.title")}</h1>
      <OpsDashboard />
      {!isProduction() && (
        <section className="card" aria-labelledby="dev-tools">
          <h2 id="dev-tools" className="mb-2 text-lg font-semibold">
            {t("admin.devTools")}
          </h2>
          <ul className="flex flex-wrap gap-4 text-sm">
            <li>
              <Link className="text-brand-700 underline" href="/admin/dev/clock">
                {t("admin.clockLink")}
              </Link>
            </li>
            <li>
              <Link className="text-brand-700 underline" href="/dev/mailbox">
                {t("admin.mailboxLink")}
              </Link>
            </li>
          </ul>
        </section>
      )}
      <section className="card space-y-2" aria-labelledby="referral-review-title">
        <h2 id="referral-review-title" className="text-lg font-semibold">
          {t("adminReferrals.title")}
        </h2>
        <p>
          {t("adminReferrals.adminLinkCount", { count: openReferralFlags })} ·{" "}
          <Link className="text-brand-700 underline" href="/admin/referrals">
            {t("adminReferrals.openQueue")}
          </Link>
        </p>
      </section>
      <ViolationsHomeSummary />
      <section className="card space-y-3" aria-labelledby="flags-title">
        <h2 id="flags-title" className="text-lg font-semibold">
          {t("admin.flagsTitle")}
        </h2>
        {flags.length === 0 ? (
          <p>{t("admin.noFlags")}</p>
        ) : (
          <ul className="space-y-2" data-testid="flags">
            {flags.map((f) => {
              const e = f.evidence as Record<string, string>;
              return (
                <li
                  key={f.id}
                  className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm"
                >
                  <span>
                    {t("admin.disputeFlag", {
                      invoice: e.invoice,
                      amount: formatMoney(BigInt(e.amountMinor), e.currency, locale),
                      reason: e.reason,
                    })}{" "}
                    · {when(f.createdAt)}
                  </span>
                  {f.userId && (
                    <Link className="text-brand-700 underline" href={`/admin/customers/${f.userId}`}>
                      {t("admin.viewCustomer")}
                    </Link>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {/* tabIndex: a region that scrolls sideways on phones must be reachable by keyboard. */}
      <section className="card overflow-x-auto" aria-labelledby="users-title" tabIndex={0}>
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="users-title" className="text-lg font-semibold">
            {t("admin.usersTitle")}
          </h2>
          <Link className="text-sm text-brand-700 underline" href="/admin/customers">
            {t("adminConsole.home.searchCustomers")}
          </Link>
        </div>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("admin.email")}</th>
              <th scope="col">{t("admin.name")}</th>
              <th scope="col">{t("admin.role")}</th>
              <th scope="col">{t("admin.status")}</th>
              <th scope="col">{t("admin.created")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td className="break-all">
                  <Link className="text-brand-700 underline" href={`/admin/customers/${u.id}`}>
                    {u.email}
                  </Link>
                </td>
                <td>{u.name ?? "—"}</td>
                <td>{t(`roles.${u.role}`)}</td>
                <td>{t(`statuses.${u.status}`)}</td>
                <td>{when(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card overflow-x-auto" aria-labelledby="audit-title" tabIndex={0}>
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="audit-title" className="text-lg font-semibold">
            {t("admin.auditTitle")}
          </h2>
          <Link className="text-sm text-brand-700 underline" href="/admin/audit">
            {t("adminConsole.home.fullAudit")}
          </Link>
        </div>
        {audit.length === 0 ? (
          <p>{t("admin.noEntries")}</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("admin.when")}</th>
                <th scope="col">{t("admin.actor")}</th>
                <th scope="col">{t("admin.action")}</th>
                <th scope="col">{t("admin.subject")}</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((a) => (
                <tr key={a.id}>
                  <td className="whitespace-nowrap">{when(a.createdAt)}</td>
                  <td className="break-all">{a.actorEmail ?? t("admin.system")}</td>
                  <td>
                    <code>{a.action}</code>
                  </td>
                  <td className="break-all">
                    {a.subjectType}
                    {a.subjectId ? ` ${a.subjectId.slice(0, 8)}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
