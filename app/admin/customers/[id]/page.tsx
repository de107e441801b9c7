import { randomUUID } from "node:crypto";
import { notFound } from "next/navigation";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { Notice } from "@/components/billing/notice";
import { MovementsTable } from "@/components/billing/movements-table";
import { GrantCreditsForm } from "@/components/grant-credits-form";
import { loadCatalog, subscriptionView } from "@/lib/billing";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import { balancesOf, movementsOf } from "@/lib/ledger";
import { formatMoney } from "@/lib/money/format";
import { grantCreditsAction } from "./actions";

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
  const [sub, balances, movements] = await Promise.all([subscriptionView(db(), user.id, now), balancesOf(db(), user.id), movementsOf(db(), user.id, 50)]);
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
      <MovementsTable movements={movements} title={t("billing.movements")} />
    </div>
  );
}
