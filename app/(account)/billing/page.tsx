import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/money/format";
import { DailyTable } from "@/components/billing/daily-table";
import { InvoiceLines } from "@/components/billing/invoice-lines";
import { dailyRecordsFor } from "@/lib/api-billing/face";
import { requireUser } from "@/lib/auth/session";
import { invoiceLabel } from "@/lib/billing";
import { catalogNow, invoicesFor } from "@/lib/billing/face";
import { movementsFor } from "@/lib/ledger/face";
import { MovementsTable } from "@/components/billing/movements-table";

export async function generateMetadata() {
  return { title: (await getTranslations("billing"))("title") };
}

/** Daily API consumption records on the page; the CSV export has them all. */
const DAILY_SHOWN = 100;

/** Billing history: every invoice with its lines and receipt, daily API consumption (BILL-2, BILL-4), and every wallet movement. */
export default async function BillingPage() {
  const user = await requireUser();
  const [t, format, locale, catalog] = await Promise.all([
    getTranslations(),
    getFormatter(),
    getLocale(),
    catalogNow(),
  ]);
  const [invoices, daily, movements] = await Promise.all([
    invoicesFor(user.id),
    dailyRecordsFor(user.id, { take: DAILY_SHOWN }),
    movementsFor(user.id),
  ]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{t("billing.title")}</h1>
        <div className="flex flex-wrap gap-2 text-sm">
          <a className="btn-secondary py-1" href="/api/billing/export?type=invoices" download>
            {t("billing.exportInvoices")}
          </a>
          <a className="btn-secondary py-1" href="/api/billing/export?type=credit_notes" download>
            {t("billing.exportCreditNotes")}
          </a>
          <a className="btn-secondary py-1" href="/api/billing/export?type=movements" download>
            {t("billing.exportMovements")}
          </a>
        </div>
      </div>
      <section aria-labelledby="invoices-title" className="space-y-3">
        <h2 id="invoices-title" className="text-lg font-semibold">
          {t("billing.invoices")}
        </h2>
        {invoices.length === 0 && <p className="card">{t("billing.noInvoices")}</p>}
        {invoices.map((inv) => (
          <article key={inv.id} className="card space-y-3" aria-labelledby={`inv-${inv.number}`} data-testid="invoice">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h3 id={`inv-${inv.number}`} className="break-all font-semibold">
                {t("billing.invoiceTitle", { number: invoiceLabel(inv), kind: t(`invoiceKinds.${inv.kind}`) })}
              </h3>
              <span className="text-sm text-slate-600">
                {when(inv.createdAt)} · {t(`invoiceStatus.${inv.status}`)}
              </span>
            </div>
            {inv.tier && inv.cycle && inv.periodStart && inv.periodEnd && (
              <p className="text-sm text-slate-700">
                {t("checkout.planName", { tier: t(`tiers.${inv.tier}`), cycle: t(`cycles.${inv.cycle}`) })} ·{" "}
                {t("subscription.periodRange", { start: when(inv.periodStart), end: when(inv.periodEnd) })}
              </p>
            )}
            <InvoiceLines lines={inv.lines} currency={inv.currency} total={inv.totalMinor} />
            {inv.payments
              .flatMap((p) => p.refunds)
              .map((r) => (
                <p key={r.id} className="text-sm text-slate-700" data-testid="refund">
                  {/* INV-1: a refund made since credit notes exist has one; older refunds are listed as before. */}
                  {r.creditNote
                    ? t("billing.creditNoteLine", {
                        number: r.creditNote.number,
                        amount: formatMoney(r.amountMinor, r.currency, locale),
                      })
                    : t("billing.refundedOn", { amount: formatMoney(r.amountMinor, r.currency, locale) })}{" "}
                  · {when(r.createdAt)}
                  {r.creditNote && (
                    <>
                      {" · "}
                      <a className="text-brand-700 underline" href={`/api/billing/credit-notes/${r.creditNote.id}/pdf`}>
                        {t("billing.creditNotePdf", { number: r.creditNote.number })}
                      </a>
                    </>
                  )}
                </p>
              ))}
            {inv.status === "paid" && (
              <a className="text-sm text-brand-700 underline" href={`/api/billing/invoices/${inv.id}/receipt`}>
                {t("billing.receipt", { number: invoiceLabel(inv) })}
              </a>
            )}
          </article>
        ))}
      </section>
      <DailyTable records={daily} shown={DAILY_SHOWN} timeZone={catalog.regions[user.region].timeZone} />
      <MovementsTable movements={movements} title={t("billing.movements")} />
    </div>
  );
}
