import Link from "next/link";
import { SignOutEverywhere } from "@/components/account/sign-out-everywhere";
import { getFormatter, getLocale, getTimeZone, getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { getAccountSummary } from "@/lib/accounts/summary";
import { subscriptionViewFor } from "@/lib/billing/face";
import { appClock } from "@/lib/clock";
import { noticeText } from "@/lib/notices";
import { noticesFor } from "@/lib/notices/face";
import { signOutEverywhereAction } from "./actions";

// Notices about the usage policy lead to the page that explains them and takes a review (POLICY-2).
const POLICY_NOTICES = new Set(["policy_violation", "policy_review_decided"]);

export async function generateMetadata() {
  return { title: (await getTranslations("dashboard"))("title") };
}

export default async function DashboardPage() {
  const user = await requireUser();
  const [t, format, zone, account, now] = await Promise.all([
    getTranslations(),
    getFormatter(),
    getTimeZone(),
    getAccountSummary(user.id),
    appClock().now(),
  ]);
  const [sub, notices, locale] = await Promise.all([
    subscriptionViewFor(user.id, now),
    noticesFor(user.id, 10),
    getLocale(),
  ]);
  const rows: [string, string][] = [
    [t("dashboard.email"), user.email],
    [t("dashboard.region"), t(`regions.${user.region}`)],
    [t("dashboard.role"), t(`roles.${user.role}`)],
    [t("dashboard.status"), t(`statuses.${user.status}`)],
    [t("dashboard.memberSince"), format.dateTime(account.createdAt, { dateStyle: "long" })],
    [t("dashboard.appTime"), format.dateTime(now, { dateStyle: "medium", timeStyle: "medium" })],
  ];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("dashboard.welcome", { name: user.name ?? user.email })}</h1>
      <section className="card space-y-2" aria-labelledby="plan-title">
        <h2 id="plan-title" className="text-lg font-semibold">
          {t("dashboard.planTitle")}
        </h2>
        {sub ? (
          <p>
            {t("checkout.planName", { tier: t(`tiers.${sub.tier}`), cycle: t(`cycles.${sub.cycle}`) })} ·{" "}
            {t(sub.autoRenew ? "dashboard.renews" : "dashboard.ends", {
              date: format.dateTime(sub.periodEnd, { dateStyle: "medium", timeStyle: "short" }),
            })}
          </p>
        ) : (
          <p>{t("subscription.none")}</p>
        )}
        <Link className="text-brand-700 underline" href={sub ? "/subscription" : "/pricing"}>
          {sub ? t("dashboard.managePlan") : t("subscription.seePlans")}
        </Link>
      </section>
      <section className="card space-y-3" aria-labelledby="notices-title">
        <h2 id="notices-title" className="text-lg font-semibold">
          {t("dashboard.noticesTitle")}
        </h2>
        {notices.length === 0 ? (
          <p>{t("dashboard.noNotices")}</p>
        ) : (
          <ul className="space-y-3" data-testid="notices">
            {notices.map((n) => {
              const text = noticeText(n, locale, zone);
              return (
                <li key={n.id} className="rounded-lg border border-slate-200 p-3">
                  <p className="font-medium">{text.title}</p>
                  <p className="text-sm text-slate-700">{text.body}</p>
                  {POLICY_NOTICES.has(n.kind) && (
                    <Link className="text-sm text-brand-700 underline" href="/policy">
                      {t("policy.noticeLink")}
                    </Link>
                  )}
                  <p className="mt-1 text-xs text-slate-600">
                    {format.dateTime(n.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                  </p>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="account-title">
        <h2 id="account-title" className="mb-4 text-lg font-semibold">
          {t("dashboard.accountTitle")}
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-[max-content_1fr]">
          {rows.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-sm font-medium text-slate-600">{label}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-4 text-xs text-slate-600">{t("dashboard.timeZone", { zone })}</p>
      </section>
      <SignOutEverywhere action={signOutEverywhereAction} />
    </div>
  );
}
