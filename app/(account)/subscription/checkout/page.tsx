import { randomUUID } from "node:crypto";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { ActionButton } from "@/components/billing/action-button";
import { InvoiceLines } from "@/components/billing/invoice-lines";
import { requireUser } from "@/lib/auth/session";
import { appBillingDeps, CYCLES, quotePurchase, TIERS } from "@/lib/billing";
import { formatMoney } from "@/lib/money/format";
import { subscribeAction, upgradeAction } from "../actions";

export async function generateMetadata() {
  return { title: (await getTranslations("checkout"))("title") };
}

const params = z.object({ tier: z.enum(TIERS), cycle: z.enum(CYCLES) });

/**
 * The exact amount before confirming: the quote runs the purchase's own
 * arithmetic (first-order discount or proration, then credits, cash, card).
 */
export default async function CheckoutPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  const parsed = params.safeParse(await searchParams);
  if (!parsed.success)
    return (
      <div className="card space-y-3">
        <h1 className="text-2xl font-semibold">{t("checkout.title")}</h1>
        <p role="alert">{t("errors.unknown_plan")}</p>
        <Link className="text-brand-700 underline" href="/pricing">{t("checkout.backToPricing")}</Link>
      </div>
    );
  const { tier, cycle } = parsed.data;
  const quote = await quotePurchase(await appBillingDeps(), { userId: user.id, region: user.region, tier, cycle });
  const planName = t("checkout.planName", { tier: t(`tiers.${tier}`), cycle: t(`cycles.${cycle}`) });
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">{quote.ok && quote.kind === "upgrade" ? t("checkout.upgradeTitle") : t("checkout.title")}</h1>
      <section className="card space-y-4" aria-labelledby="quote-title">
        <h2 id="quote-title" className="text-lg font-semibold">{planName}</h2>
        {!quote.ok ? (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {t(`errors.${quote.error}`, {
              ...quote.params,
              ...(quote.params?.nextRelease && { nextRelease: format.dateTime(new Date(quote.params.nextRelease), { dateStyle: "medium", timeStyle: "long" }) }),
            })}
          </p>
        ) : (
          <>
            <InvoiceLines lines={quote.lines} currency={quote.currency} total={quote.totalMinor} />
            <p className="text-base" data-testid="amount-due">
              {t("checkout.dueNow", { amount: formatMoney(quote.totalMinor, quote.currency, locale) })}
            </p>
            <p className="text-sm text-slate-600">
              {t("checkout.periodEnds", { date: format.dateTime(quote.periodEnd, { dateStyle: "medium", timeStyle: "short" }) })}
            </p>
            {!quote.payable && (
              <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
                {t("checkout.walletShort", { amount: formatMoney(quote.cardMinor, quote.currency, locale) })}{" "}
                <Link className="underline" href="/wallet">{t("checkout.toWallet")}</Link>
              </p>
            )}
            <ActionButton
              action={quote.kind === "upgrade" ? upgradeAction : subscribeAction}
              fields={{ tier, cycle, requestId: randomUUID() }}
              label={quote.kind === "upgrade" ? t("checkout.confirmUpgrade") : t("checkout.confirm")}
              pendingLabel={t("checkout.paying")}
            />
          </>
        )}
      </section>
      <Link className="text-brand-700 underline" href={quote.ok && quote.kind === "upgrade" ? "/subscription" : "/pricing"}>
        {t("checkout.back")}
      </Link>
    </div>
  );
}
