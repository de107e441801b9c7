import { randomUUID } from "node:crypto";
import { getLocale, getTranslations } from "next-intl/server";
import { Notice } from "@/components/billing/notice";
import { PackOffers } from "@/components/billing/pack-offers";
import { PacksTable } from "@/components/billing/packs-table";
import { packProducts } from "@/lib/api-billing";
import { packsFor } from "@/lib/api-billing/face";
import { TopUpForm } from "@/components/billing/top-up-form";
import { requireUser } from "@/lib/auth/session";
import { payMethodsOf, recurringWalletsOf } from "@/lib/billing";
import { catalogNow } from "@/lib/billing/face";
import { balancesFor, movementsFor } from "@/lib/ledger/face";
import { formatMoney } from "@/lib/money/format";
import { MovementsTable } from "@/components/billing/movements-table";
import { CardPanel } from "@/components/billing/card-panel";
import { paymentReturnUrl } from "@/lib/http/app-url";
import { appClock } from "@/lib/clock";
import { cardCollection, isWalletMethod, paymentPort, type PayMethod } from "@/lib/payments";
import { ActionButton } from "@/components/billing/action-button";
import { buyPackAction, cardSetupSecretAction, endAgreementAction, saveCardAction, topUpAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("wallet"))("title") };
}

/** WALLET-1..4: balances from the ledger, how they are spent, the saved card, a top-up through the payment port, and resource packs (BILL-3). */
export default async function WalletPage({
  searchParams,
}: {
  searchParams: Promise<{ notice?: string; failed?: string; reason?: string }>;
}) {
  const user = await requireUser();
  const [t, locale, catalog, { notice, failed, reason }, saved, now] = await Promise.all([
    getTranslations(),
    getLocale(),
    catalogNow(),
    searchParams,
    paymentPort().savedMethod(user.id),
    appClock().now(),
  ]);
  const region = catalog.regions[user.region];
  const card = saved?.type === "card" ? saved : null;
  const savedWallet = saved?.type === "alipay" ? saved.type : undefined;
  const [balances, movements, packs] = await Promise.all([
    balancesFor(user.id),
    movementsFor(user.id, 20),
    packsFor(user.id, now),
  ]);
  const shown = balances.length
    ? balances
    : [{ currency: region.currency, creditsMinor: 0n, cashMinor: 0n, packsMinor: 0n }];
  const packName = (id: string) => (t.has(`packs.names.${id}`) ? t(`packs.names.${id}` as "packs.names.starter") : id);
  const offers = packProducts(region.currency).map((p) => ({
    id: p.id,
    name: packName(p.id),
    price: formatMoney(p.priceMinor, p.currency, locale),
    value: formatMoney(p.valueMinor, p.currency, locale),
    validDays: p.validDays,
    requestId: randomUUID(),
  }));
  // PAY-3: what the site offers; the card is offered for a payment only once one is saved.
  const siteMethods = payMethodsOf(user.region);
  const recurring: PayMethod[] = recurringWalletsOf(user.region);
  const wallets = siteMethods.filter(isWalletMethod);
  const list = (ms: PayMethod[]) => ms.map((m) => t(`payMethods.${m}`)).join(locale.startsWith("zh") ? "、" : ", ");
  const onTheSpot = wallets.filter((m) => !recurring.includes(m));
  const offered = siteMethods.filter((m) => m !== "card" || card);
  const methods: PayMethod[] = offered.length ? offered : ["card"];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("wallet.title")}</h1>
      <Notice notice={notice} failed={failed} reason={reason} />
      <section className="card space-y-3" aria-labelledby="balances-title">
        <h2 id="balances-title" className="text-lg font-semibold">
          {t("wallet.balances")}
        </h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
          {shown.map((b) => (
            <div key={b.currency} className="contents">
              <dt className="text-sm font-medium text-slate-600">{t("wallet.credits")}</dt>
              <dd className="tabular-nums" data-testid={`credits-${b.currency}`}>
                {formatMoney(b.creditsMinor, b.currency, locale)}
              </dd>
              <dt className="text-sm font-medium text-slate-600">{t("wallet.cash")}</dt>
              <dd className="tabular-nums" data-testid={`cash-${b.currency}`}>
                {formatMoney(b.cashMinor, b.currency, locale)}
              </dd>
              <dt className="text-sm font-medium text-slate-600">{t("wallet.packs")}</dt>
              <dd className="tabular-nums" data-testid={`packs-${b.currency}`}>
                {formatMoney(b.packsMinor, b.currency, locale)}
              </dd>
            </div>
          ))}
        </dl>
        <p className="text-sm text-slate-700">{t("wallet.order")}</p>
        <p className="text-sm text-slate-700">{t("wallet.creditsRule")}</p>
      </section>
      <section className="card space-y-3" aria-labelledby="card-title">
        <h2 id="card-title" className="text-lg font-semibold">
          {t("card.title")}
        </h2>
        <CardPanel
          card={card}
          walletSaved={saved?.type === "alipay"}
          mode={cardCollection()}
          next="/wallet"
          saveAction={saveCardAction}
          secretAction={cardSetupSecretAction}
          returnUrl={paymentReturnUrl("/wallet")}
        />
      </section>
      {wallets.length > 0 && (
        <section className="card space-y-2" aria-labelledby="methods-title" data-testid="pay-methods">
          <h2 id="methods-title" className="text-lg font-semibold">
            {t("wallet.methodsTitle")}
          </h2>
          <p data-testid="saved-method">
            {saved?.type === "alipay"
              ? t("wallet.methodsAlipaySaved")
              : card
                ? t("wallet.methodsSaved", { brand: card.brand.toUpperCase(), last4: card.last4 })
                : t("wallet.methodsNoneSaved")}
          </p>
          {saved?.type === "alipay" && (
            <ActionButton
              action={endAgreementAction}
              label={t("wallet.endAgreement")}
              pendingLabel={t("wallet.endingAgreement")}
              variant="secondary"
            />
          )}
          {recurring.length > 0 && (
            <p className="text-sm text-slate-700">{t("wallet.methodsRecurring", { methods: list(recurring) })}</p>
          )}
          {onTheSpot.length > 0 && (
            <p className="text-sm text-slate-700">{t("wallet.methodsWallets", { methods: list(onTheSpot) })}</p>
          )}
        </section>
      )}
      <section className="card space-y-3" aria-labelledby="top-up-title">
        <h2 id="top-up-title" className="text-lg font-semibold">
          {t("wallet.topUpTitle")}
        </h2>
        <TopUpForm
          action={topUpAction}
          currency={region.currency}
          requestId={randomUUID()}
          minimum={formatMoney(region.cardMinimumMinor, region.currency, locale)}
          methods={methods}
          savedWallet={savedWallet}
        />
      </section>
      <section className="card space-y-4" aria-labelledby="packs-title">
        <h2 id="packs-title" className="text-lg font-semibold">
          {t("packs.title")}
        </h2>
        <p className="text-sm text-slate-700">{t("packs.intro")}</p>
        <div className="space-y-2">
          <h3 className="font-semibold">{t("packs.onSale")}</h3>
          <p className="text-sm text-slate-700" data-testid="packs-paid-from">
            {t("packs.cardFirst")}
          </p>
          <PackOffers action={buyPackAction} offers={offers} methods={methods} savedWallet={savedWallet} />
        </div>
        <PacksTable packs={packs} />
      </section>
      <MovementsTable movements={movements} title={t("wallet.recent")} />
    </div>
  );
}
