import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { CustomerView } from "@/lib/admin";
import { invoiceLabel } from "@/lib/billing/document-number";
import { formatMoney } from "@/lib/money/format";
import { AdminSection } from "./admin-section";

/** The customer's invoices, newest first; a paid one links to the receipt the customer gets. */
export async function CustomerInvoices({ userId, invoices }: { userId: string; invoices: CustomerView["invoices"] }) {
  const [t, all, format, locale] = await Promise.all([
    getTranslations("adminConsole.customer"),
    getTranslations(),
    getFormatter(),
    getLocale(),
  ]);
  return (
    <AdminSection id="cust-invoices" title={t("invoicesTitle")} scrolls>
      {invoices.length === 0 ? (
        <p>{t("noInvoices")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t("invoice")}</th>
              <th scope="col">{t("kind")}</th>
              <th scope="col">{t("invoiceStatus")}</th>
              <th scope="col">{t("total")}</th>
              <th scope="col">{t("issued")}</th>
              <th scope="col">{t("receipt")}</th>
            </tr>
          </thead>
          <tbody>
            {invoices.map((inv) => (
              <tr key={inv.id} data-testid="customer-invoice">
                <td className="tabular-nums">{invoiceLabel(inv)}</td>
                <td>{all.has(`invoiceKinds.${inv.kind}`) ? all(`invoiceKinds.${inv.kind}`) : inv.kind}</td>
                <td>{all(`invoiceStatus.${inv.status}`)}</td>
                <td className="tabular-nums">{formatMoney(inv.totalMinor, inv.currency, locale)}</td>
                <td className="whitespace-nowrap">
                  {format.dateTime(inv.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                </td>
                <td>
                  {inv.status === "paid" ? (
                    <a className="text-brand-700 underline" href={`/admin/customers/${userId}/receipts/${inv.id}`}>
                      {t("receiptLink")}
                      <span className="sr-only"> {t("receiptLabel", { number: invoiceLabel(inv) })}</span>
                    </a>
                  ) : (
                    t("noReceipt")
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminSection>
  );
}
