import { randomUUID } from "node:crypto";
import { cookies } from "next/headers";
import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { ActionButton } from "@/components/billing/action-button";
import { InvoiceLines } from "@/components/billing/invoice-lines";
import { requireUser } from "@/lib/auth/session";
import { appBillingDeps, CYCLES, payMethodsOf, quotePurchase, recurringWalletsOf, TIERS } from "@/lib/billing";
import { formatMoney } from "@/lib/money/format";
import { CardPanel } from "@/components/billing/card-panel";
import { Notice } from "@/components/billing/notice";
import { paymentReturnUrl } from "@/lib/http/app-url";
import { cardCollection, isWalletMethod, paymentPort } from "@/lib/payments";
import { PayMethodPicker } from "@/components/billing/pay-method-picker";
import { cardSetupSecretAction, saveCardAction } from "../../wallet/actions";
import { InviteCodeForm } from "@/components/billing/invite-code-form";
import { appClock } from "@/lib/clock";
import { INVITE_COOKIE, referralRules } from "@/lib/referrals";
import { referralOfferFor, visitAttributedTo } from "@/lib/referrals/face";
import { AttributeVisit } from "@/components/referrals/attribute-visit";
import { applyInviteCodeAction, attributeVisitAction } from "../invite-actions";
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
  const query = await searchParams;
  const parsed = params.safeParse(query);
  if (!parsed.success)
    return (
      <div className="card space-y-3">
        <h1 className="text-2xl font-semibold">{t("checkout.title")}</h1>
        <p role="alert">{t("errors.unknown_plan")}</p>
        <Link className="text-brand-700 underline" href="/pricing">
          {t("checkout.backToPricing")}
        </Link>
      </div>
    );
  const { tier, cycle } = parsed.data;
  const now = await appClock().now();
  // An invite-link visit made before signing in (magic-link sign-ups never pass the sign-up form) is attributed by an action once shown.
  const visitId = (await cookies()).get(INVITE_COOKIE)?.value;
  const attributeVisit = visitId ? !(await visitAttributedTo(user.id, visitId)) : false;
  const referralOffer = await referralOfferFor(user.id, now);
  const quote = await quotePurchase(await appBillingDeps(), { userId: user.id, region: user.region, tier, cycle });
  const planName = t("checkout.planName", { tier: t(`tiers.${tier}`), cycle: t(`cycles.${cycle}`) });
  const saved = await paymentPort().savedMethod(user.id);
  const card = saved?.type === "card" ? saved : null;
  const savedWallet = saved?.type === "alipay" ? saved.type : undefined;
  const here = `/subscription/checkout?tier=${tier}&cycle=${cycle}`;
  const kind = quote.ok ? quote.kind : null;
  const title =
    kind === "upgrade" ? "checkout.upgradeTitle" : kind === "buy_again" ? "checkout.buyAgainTitle" : "checkout.title";
  const current = quote.ok && kind === "buy_again" ? quote.replaces : null;
  // PAY-3: where the site offers wallets, the buyer picks how to pay the part the wallet does not cover (the card only if one is saved).
  const siteTakesCards = payMethodsOf(user.region).includes("card");
  const offered = payMethodsOf(user.region).filter((m) => m !== "card" || card);
  const choose = quote.ok && quote.cardMinor > 0n && offered.some(isWalletMethod);
  return (
    <div className="mx-auto max-w-xl space-y-6">
      {attributeVisit && <AttributeVisit action={attributeVisitAction} />}
      <h1 className="text-2xl font-semibold">{t(title)}</h1>
      <Notice notice={query.notice} failed={query.failed} reason={query.reason} />
      <section className="card space-y-4" aria-labelledby="quote-title">
        <h2 id="quote-title" className="text-lg font-semibold">
          {planName}
        </h2>
        {!quote.ok ? (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {t(`errors.${quote.error}`, {
              ...quote.params,
              ...(quote.params?.nextRelease && {
                nextRelease: format.dateTime(new Date(quote.params.nextRelease), {
                  dateStyle: "medium",
                  timeStyle: "long",
                }),
              }),
            })}
          </p>
        ) : (
          <>
            {current && (
              <p className="rounded-lg bg-sky-50 p-3 text-sm text-sky-900" data-testid="buy-again-note">
                {t("checkout.buyAgainNote", {
                  plan: t("checkout.planName", {
                    tier: t(`tiers.${current.tier}`),
                    cycle: t(`cycles.${current.cycle}`),
                  }),
                })}
              </p>
            )}
            <InvoiceLines lines={quote.lines} currency={quote.currency} total={quote.totalMinor} />
            <p className="text-base" data-testid="amount-due">
              {t("checkout.dueNow", { amount: formatMoney(quote.totalMinor, quote.currency, locale) })}
            </p>
            {referralOffer && quote.lines.some((l) => l.kind === "referral_discount") && (
              <p className="text-sm text-green-800" data-testid="referral-active">
                {t("invite.referralActive", {
                  endsAt: format.dateTime(referralOffer.offerEndsAt, { dateStyle: "medium", timeStyle: "short" }),
                })}
              </p>
            )}
            <p className="text-sm text-slate-600">
              {t("checkout.periodEnds", {
                date: format.dateTime(quote.periodEnd, { dateStyle: "medium", timeStyle: "short" }),
              })}
            </p>
            {quote.cardMinor > 0n && (
              <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900" data-testid="card-part">
                {t(choose ? "payMethods.walletShort" : "checkout.walletShort", {
                  amount: formatMoney(quote.cardMinor, quote.currency, locale),
                })}{" "}
                {card && t("checkout.payingWith", { brand: card.brand.toUpperCase(), last4: card.last4 })}
                {savedWallet && !choose && t("checkout.payingWithAlipay")}
              </p>
            )}
            {(quote.cardMinor === 0n || saved || choose) && (
              <ActionButton
                action={quote.kind === "upgrade" ? upgradeAction : subscribeAction}
                fields={{ tier, cycle, requestId: randomUUID(), ...(quote.kind === "buy_again" && { replacing: "1" }) }}
                label={t(
                  quote.kind === "upgrade"
                    ? "checkout.confirmUpgrade"
                    : quote.kind === "buy_again"
                      ? "checkout.confirmBuyAgain"
                      : "checkout.confirm",
                )}
                pendingLabel={t("checkout.paying")}
              >
                {choose && (
                  <PayMethodPicker
                    methods={offered}
                    recurring={recurringWalletsOf(user.region)}
                    savedWallet={savedWallet}
                  />
                )}
              </ActionButton>
            )}
            {/* No card saved yet: add one here (where the site also offers wallets, as another way to pay). */}
            {quote.cardMinor > 0n && !card && siteTakesCards && (
              <section className="space-y-3" aria-labelledby="add-card-title">
                <h3 id="add-card-title" className="font-semibold">
                  {t("card.add")}
                </h3>
                <p>{t("checkout.addCardFirst", { amount: formatMoney(quote.cardMinor, quote.currency, locale) })}</p>
                <CardPanel
                  card={null}
                  mode={cardCollection()}
                  next={here}
                  saveAction={saveCardAction}
                  secretAction={cardSetupSecretAction}
                  returnUrl={paymentReturnUrl(here)}
                />
                <Link className="text-brand-700 underline" href="/wallet">
                  {t("checkout.toWallet")}
                </Link>
              </section>
            )}
          </>
        )}
      </section>
      {/* REF-1: a first order without an invitation can still take a friend's code; the quote above then shows the discount. */}
      {quote.ok &&
        quote.kind === "subscribe" &&
        quote.lines.some((l) => l.kind === "first_order_discount") &&
        !referralOffer && (
          <section className="card">
            <InviteCodeForm
              action={applyInviteCodeAction}
              percent={format.number(referralRules().discountBps / 10000, { style: "percent" })}
            />
          </section>
        )}
      <Link
        className="text-brand-700 underline"
        href={quote.ok && quote.kind !== "subscribe" ? "/subscription" : "/pricing"}
      >
        {t("checkout.back")}
      </Link>
    </div>
  );
}
