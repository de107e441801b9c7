import Link from "next/link";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/lib/auth/session";
import { pricingViewFor } from "@/lib/billing/face";
import { appClock } from "@/lib/clock";
import { formatMoney } from "@/lib/money/format";

/** The front page: the plan in a few lines, with the catalog's own figures (the pricing page's), and the way to pricing. */
export default async function Home() {
  if (await getCurrentUser()) redirect("/dashboard");
  const [t, locale, now] = await Promise.all([getTranslations("home"), getLocale(), appClock().now()]);
  const view = await pricingViewFor(locale === "zh-CN" ? "cn" : "intl", now);
  const [lite, pro, max] = view.plans;
  const priced = view.plans.flatMap((p) => p.models).find((m) => m.peakCost !== m.offPeakCost) ?? {
    peakCost: 1,
    offPeakCost: 1,
  };
  const cheapest = view.plans
    .map((p) => p.prices.find((x) => x.cycle === "monthly")!.amountMinor)
    .reduce((a, b) => (b < a ? b : a));
  return (
    <section className="mx-auto max-w-2xl py-10">
      <h1 className="mb-4 text-center text-3xl font-bold sm:text-4xl">{t("title")}</h1>
      <p className="mb-6 text-center text-lg text-slate-600">{t("intro")}</p>
      <ul className="mb-8 list-disc space-y-2 pl-5 text-slate-700" data-testid="home-points">
        <li>
          {t("points.tiers", {
            price: formatMoney(cheapest, view.currency, locale),
            lite: lite.quotas.prompts5h,
            pro: pro.quotas.prompts5h,
            max: max.quotas.prompts5h,
          })}
        </li>
        <li>{t("points.models", { peak: priced.peakCost, offPeak: priced.offPeakCost })}</li>
        <li>{t("points.tools", { mcp: lite.quotas.mcpMonthly })}</li>
        <li>
          {t("points.offer", { first: view.firstOrderDiscountBps / 100, referral: view.referralDiscountBps / 100 })}
        </li>
      </ul>
      <div className="flex flex-col justify-center gap-3 sm:flex-row">
        <Link href="/pricing" className="btn-primary">
          {t("ctaPricing")}
        </Link>
        <Link href="/sign-up" className="btn-secondary">
          {t("ctaSignUp")}
        </Link>
        <Link href="/sign-in" className="btn-secondary">
          {t("ctaSignIn")}
        </Link>
      </div>
    </section>
  );
}
