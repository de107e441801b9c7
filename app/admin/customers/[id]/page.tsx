import { randomUUID } from "node:crypto";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { AdminSection } from "@/components/admin-console/admin-section";
import { CreditAdjustmentForm } from "@/components/admin-console/credit-adjustment-form";
import { CustomerBalances } from "@/components/admin-console/customer-balances";
import { CustomerInvoices } from "@/components/admin-console/customer-invoices";
import { CustomerKeys } from "@/components/admin-console/customer-keys";
import { CustomerNotice } from "@/components/admin-console/customer-notice";
import { CustomerPacks } from "@/components/admin-console/customer-packs";
import { CustomerPayments } from "@/components/admin-console/customer-payments";
import { CustomerProfile } from "@/components/admin-console/customer-profile";
import { CustomerSubscription } from "@/components/admin-console/customer-subscription";
import { CustomerUsage } from "@/components/admin-console/customer-usage";
import { ExportCallsForm } from "@/components/quota/export-calls-form";
import { MovementsTable } from "@/components/billing/movements-table";
import { customerQuota } from "@/lib/admin";
import { customerUsageByDay, customerViewOf } from "@/lib/admin/face";
import { catalogNow } from "@/lib/billing/face";
import { appClock } from "@/lib/clock";
import { formatMoney } from "@/lib/money/format";
import { quotaContext } from "@/lib/quota";
import { CustomerPolicySection } from "../../violations/customer-section";
import { adjustCreditsAction, refundAction } from "./actions";
import { requireAdmin } from "@/lib/auth/session";

const USAGE_DAYS = 30;

export async function generateMetadata() {
  return { title: (await getTranslations("adminCustomer"))("title") };
}

/** One customer: who they are, their plan, money, packs, keys and usage, with credit adjustments and refunds. */
export default async function AdminCustomerPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ notice?: string }>;
}) {
  // SEC-1: the page checks for itself; the layout does not run again on a client-side navigation.
  await requireAdmin();
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const [view, catalog, now, { notice }] = await Promise.all([
    customerViewOf(id.data),
    catalogNow(),
    appClock().now(),
    searchParams,
  ]);
  if (!view) notFound();
  const { user } = view;
  const region = catalog.regions[user.region];
  const [t, locale, quota, days] = await Promise.all([
    getTranslations("adminConsole"),
    getLocale(),
    customerQuota(quotaContext(), user.id, now),
    customerUsageByDay(user.id, now, region.timeZone, USAGE_DAYS),
  ]);
  const credits = view.balances.find((b) => b.currency === region.currency)?.creditsMinor ?? 0n;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold break-all">{user.name ?? user.email}</h1>
      <CustomerNotice notice={notice} />
      <CustomerProfile user={user} />
      <CustomerSubscription subscription={view.subscription} />
      <CustomerBalances balances={view.balances} />
      <AdminSection id="cust-adjust" title={t("adjust.title")}>
        <p className="text-sm text-slate-700">
          {t("adjust.intro", { balance: formatMoney(credits, region.currency, locale) })}
        </p>
        <CreditAdjustmentForm
          action={adjustCreditsAction}
          userId={user.id}
          currency={region.currency}
          requestId={randomUUID()}
        />
      </AdminSection>
      <CustomerPayments userId={user.id} payments={view.payments} refundAction={refundAction} />
      <CustomerInvoices userId={user.id} invoices={view.invoices} />
      <MovementsTable movements={view.movements} title={t("customer.movementsTitle")} />
      <CustomerPacks packs={view.packs} />
      <CustomerKeys keys={view.keys} />
      <CustomerUsage quota={quota?.status ?? null} days={days} dayCount={USAGE_DAYS} />
      <ExportCallsForm endpoint="/admin/usage-export" today={now.toISOString().slice(0, 10)} userId={user.id} />
      <CustomerPolicySection userId={user.id} email={user.email} notice={notice} />
    </div>
  );
}
