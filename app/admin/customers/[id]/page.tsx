import { randomUUID } from "node:crypto";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { Notice } from "@/components/billing/notice";
import { MovementsTable } from "@/components/billing/movements-table";
import { GrantCreditsForm } from "@/components/grant-credits-form";
import { RefundForm } from "@/components/billing/refund-form";
import { cardPaymentsOf, loadCatalog, subscriptionView } from "@/lib/billing";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import { balancesOf, movementsOf } from "@/lib/ledger";
import { formatMoney } from "@/lib/money/format";
import { grantCreditsAction, refundAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("adminCustomer"))("title") };
}

/** One customer: subscription, wallet and ledger, and a credit grant with a reason. */
export default async function AdminCustomerPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ notice?: string }> }) {
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const user = await db().user.findUnique({ where: { id: id.data } });
  if (!user) notFound();
  const [t, format, locale, now, catalog, { notice }] = await Promise.all([getTranslations(), getFormatter(), getLocale(), appClock().now(), loadCatalog(db()), searchParams]);
  const [sub, balances, movements, payments] = await Promise.all([
    subscriptionView(db(), user.id, now),
    balancesOf(db(), user.id),
    movementsOf(db(), user.id, 50),
    cardPaymentsOf(db(), user.id),
  ]);
  const currency = catalog.regions[user.region].currency;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold break-all">{user.name ?? user.email}</h1>
      <Notice notice={notice} />
      <section className="card space-y-2" aria-labelledby="cust-sub">
        <h2 id="cust-sub" className="text-lg font-semibold">{t("subscription.title")}</h2>
        <p className="break-all">{user.email} · {t(`regions.${user.region}`)} · {t(`statuses.${user.status}`)}</p>
        <p>
          {sub
            ? `${t("checkout.planName", { tier: t(`tiers.${sub.tier}`), cycle: t(`cycles.${sub.cycle}`) })} · ${t("subscription.periodRange", {
                start: format.dateTime(sub.periodStart, { dateStyle: "medium" }),
                end: format.dateTime(sub.periodEnd, { dateStyle: "medium" }),
              })}`
            : t("subscription.none")}
        </p>
        <ul>
          {balances.map((b) => (
            <li key={b.currency}>
              {t("wallet.credits")}: {formatMoney(b.creditsMinor, b.currency, locale)} · {t("wallet.cash")}: {formatMoney(b.cashMinor, b.currency, locale)}
            </li>
          ))}
        </ul>
      </section>
      <section className="card space-y-3" aria-labelledby="cust-grant">
        <h2 id="cust-grant" className="text-lg font-semibold">{t("adminCustomer.grantTitle")}</h2>
        <GrantCreditsForm action={grantCreditsAction} userId={user.id} currency={currency} requestId={randomUUID()} />
      </section>
      <section className="card space-y-3" aria-labelledby="cust-payments">
        <h2 id="cust-payments" className="text-lg font-semibold">{t("adminCustomer.paymentsTitle")}</h2>
        {payments.length === 0 && <p>{t("adminCustomer.noPayments")}</p>}
        <ul className="space-y-3">
          {payments.map((p) => (
            <li key={p.id} className="space-y-2 rounded-lg border border-slate-200 p-3" data-testid="card-payment">
              <p className="font-medium">
                {t("adminCustomer.payment", { number: String(p.invoiceNumber), amount: formatMoney(p.amountMinor, p.currency, locale), status: t(`paymentStatus.${p.status}`) })}
                <span className="ml-2 text-sm text-slate-600">{format.dateTime(p.createdAt, { dateStyle: "medium", timeStyle: "short" })}</span>
              </p>
              {p.refunds.map((r) => (
                <p key={r.id} className="text-sm text-slate-700">
                  {t("adminCustomer.refundLine", { amount: formatMoney(r.amountMinor, p.currency, locale), reason: r.reason, status: t(`refundStatus.${r.status}`) })}
                </p>
              ))}
              {p.disputes.map((d) => (
                <p key={d.id} className="text-sm text-amber-900">
                  {t("adminCustomer.disputeLine", { status: t(`disputeStatus.${d.status}`), amount: formatMoney(d.amountMinor, p.currency, locale), reason: d.reason })}
                </p>
              ))}
              {p.refundableMinor > 0n && (
                <details>
                  <summary className="cursor-pointer text-brand-700 underline">{t("adminCustomer.refund")}<span className="sr-only"> {String(p.invoiceNumber)}</span></summary>
                  <div className="mt-3">
                    <RefundForm action={refundAction} userId={user.id} paymentId={p.id} currency={p.currency} rest={formatMoney(p.refundableMinor, p.currency, locale)} idPrefix={`refund-${p.id}`} />
                  </div>
                </details>
              )}
            </li>
          ))}
        </ul>
      </section>
      <MovementsTable movements={movements} title={t("billing.movements")} />
    </div>
  );
}
