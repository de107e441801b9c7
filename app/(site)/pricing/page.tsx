import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/lib/auth/session";
import type { RegionId } from "@/lib/billing";
import { pricingViewFor } from "@/lib/billing/face";
import { appClock } from "@/lib/clock";
import { formatMoney } from "@/lib/money/format";
import type { AttributionError } from "@/lib/referrals";

const INVITE_ERRORS = [
  "unknown_code",
  "own_code",
  "already_invited",
  "not_new",
] as const satisfies readonly AttributionError[];

export async function generateMetadata() {
  return { title: (await getTranslations("pricing"))("title") };
}

/** Plans and prices with today's stock (SUB-8: sold-out shows before payment). */
export default async function PricingPage({
  searchParams,
}: {
  searchParams: Promise<{ region?: string; invite?: string }>;
}) {
  const [user, locale, t, format, now, params] = await Promise.all([
    getCurrentUser(),
    getLocale(),
    getTranslations(),
    getFormatter(),
    appClock().now(),
    searchParams,
  ]);
  // A signed-in subscriber sees their own region's prices; a visitor may pick one.
  const region: RegionId =
    user?.region ??
    (params.region === "cn" || params.region === "intl" ? params.region : locale === "zh-CN" ? "cn" : "intl");
  const view = await pricingViewFor(region, now);
  const release = format.dateTime(view.nextRelease, { dateStyle: "medium", timeStyle: "long" });
  // QUOTA-6: the peak window is set in the catalog's zone; each visitor reads it in their own.
  const peakFrom = format.dateTime(view.peak.from, { timeStyle: "short" });
  const peakTo = format.dateTime(view.peak.to, { timeStyle: "short" });
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("pricing.title")}</h1>
        <p className="text-slate-700">{t("pricing.intro", { percent: view.firstOrderDiscountBps / 100 })}</p>
        {!user && (
          <p className="text-sm">
            {t("pricing.regionLabel")}{" "}
            <Link
              className="text-brand-700 underline"
              href="/pricing?region=intl"
              aria-current={region === "intl" ? "page" : undefined}
            >
              {t("regions.intl")}
            </Link>
            {" · "}
            <Link
              className="text-brand-700 underline"
              href="/pricing?region=cn"
              aria-current={region === "cn" ? "page" : undefined}
            >
              {t("regions.cn")}
            </Link>
          </p>
        )}
        <p className="text-sm text-slate-700" data-testid="referral-discount">
          {t("pricing.referral", { percent: view.referralDiscountBps / 100 })}
        </p>
        <p className="text-sm text-slate-700" data-testid="peak-hours">
          {t("pricing.peakHours", { from: peakFrom, to: peakTo })}
        </p>
        <p className="text-sm text-slate-600">{t("pricing.stockNote", { time: release })}</p>
        {/* A signed-in visitor came through an invite link (app/r/[code]): what became of it. */}
        {params.invite === "applied" && (
          <p role="status" className="rounded-lg bg-green-50 p-3 text-sm text-green-900">
            {t("invite.applied")}
          </p>
        )}
        {params.invite && (INVITE_ERRORS as readonly string[]).includes(params.invite) && (
          <p role="alert" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
            {t(`invite.errors.${params.invite as (typeof INVITE_ERRORS)[number]}`)}
          </p>
        )}
      </div>
      <div className="grid gap-4 md:grid-cols-3">
        {view.plans.map((p) => (
          <section key={p.tier} className="card space-y-3" aria-labelledby={`tier-${p.tier}`}>
            <h2 id={`tier-${p.tier}`} className="text-xl font-semibold">
              {t(`tiers.${p.tier}`)}
            </h2>
            <ul className="space-y-1 text-sm text-slate-700">
              <li>{t("pricing.prompts5h", { count: p.quotas.prompts5h })}</li>
              {p.quotas.weeklyPrompts !== null && <li>{t("pricing.weekly", { count: p.quotas.weeklyPrompts })}</li>}
              <li>{t("pricing.mcp", { count: p.quotas.mcpMonthly })}</li>
              <li>{t("pricing.concurrency", { count: p.quotas.concurrency })}</li>
            </ul>
            <div className="text-sm text-slate-700">
              <p className="font-medium">{t("pricing.modelsTitle")}</p>
              <ul className="list-inside list-disc" data-testid={`models-${p.tier}`}>
                {p.models.map((m) => (
                  <li key={m.id}>
                    {m.name}
                    {(m.peakCost !== 1 || m.offPeakCost !== 1) && (
                      <>
                        {" "}
                        —{" "}
                        {t("pricing.modelCost", {
                          peak: m.peakCost,
                          offPeak: m.offPeakCost,
                          from: peakFrom,
                          to: peakTo,
                        })}
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </div>
            <p
              className={p.stock.remaining === 0 ? "font-medium text-red-800" : "text-sm text-slate-700"}
              data-testid={`stock-${p.tier}`}
            >
              {p.stock.remaining === 0
                ? t("pricing.soldOut", { time: release })
                : t("pricing.left", { count: p.stock.remaining })}
            </p>
            <ul className="space-y-2">
              {p.prices.map((price) => (
                <li key={price.cycle} className="flex flex-wrap items-center justify-between gap-2">
                  <span>
                    <span className="font-semibold tabular-nums">
                      {formatMoney(price.amountMinor, view.currency, locale)}
                    </span>{" "}
                    <span className="text-sm text-slate-600">/ {t(`cycles.${price.cycle}`)}</span>
                    {price.savingBps > 0 && (
                      <span className="ml-1 rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-900">
                        {t("pricing.save", { percent: Math.floor(price.savingBps / 100) })}
                      </span>
                    )}
                  </span>
                  {p.stock.remaining > 0 && (
                    <Link
                      className="btn-secondary py-1 text-sm"
                      href={`/subscription/checkout?tier=${p.tier}&cycle=${price.cycle}`}
                    >
                      {/* The visible word starts the accessible name (WCAG 2.5.3); the rest is for screen readers. */}
                      {t("pricing.choose")}
                      <span className="sr-only">
                        {t("pricing.chooseLabel", { tier: t(`tiers.${p.tier}`), cycle: t(`cycles.${price.cycle}`) })}
                      </span>
                    </Link>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
