import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { RefundForm } from "@/components/billing/refund-form";
import type { CustomerView } from "@/lib/admin";
import type { ActionResult } from "@/lib/http/action-result";
import { formatMoney } from "@/lib/money/format";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

/**
 * REFUND-1: card payments with their refunds and disputes, and a refund form on
 * each one with something left to refund; where SUB-7 forbids a refund, the
 * reason in its place.
 */
export async function CustomerPayments({
  userId,
  payments,
  refundAction,
}: {
  userId: string;
  payments: CustomerView["payments"];
  refundAction: Action;
}) {
  const [t, format, locale] = await Promise.all([getTranslations(), getFormatter(), getLocale()]);
  return (
    <section className="card space-y-3" aria-labelledby="cust-payments">
      <h2 id="cust-payments" className="text-lg font-semibold">
        {t("adminCustomer.paymentsTitle")}
      </h2>
      {payments.length === 0 && <p>{t("adminCustomer.noPayments")}</p>}
      <ul className="space-y-3">
        {payments.map((p) => (
          <li key={p.id} className="space-y-2 rounded-lg border border-slate-200 p-3" data-testid="card-payment">
            <p className="font-medium">
              {t("adminCustomer.payment", {
                number: String(p.invoiceNumber),
                amount: formatMoney(p.amountMinor, p.currency, locale),
                status: t(`paymentStatus.${p.status}`),
              })}
              <span className="ml-2 text-sm text-slate-600">
                {format.dateTime(p.createdAt, { dateStyle: "medium", timeStyle: "short" })}
              </span>
            </p>
            {p.refunds.map((r) => (
              <p key={r.id} className="text-sm text-slate-700">
                {t("adminCustomer.refundLine", {
                  amount: formatMoney(r.amountMinor, p.currency, locale),
                  reason: r.reason,
                  status: t(`refundStatus.${r.status}`),
                })}
                {r.creditNote && (
                  <>
                    {" · "}
                    <a
                      className="break-all text-brand-700 underline"
                      href={`/admin/customers/${userId}/credit-notes/${r.creditNote.id}`}
                      data-testid="credit-note"
                    >
                      {t("adminCustomer.creditNoteLink", { number: r.creditNote.number })}
                    </a>
                  </>
                )}
              </p>
            ))}
            {p.disputes.map((d) => (
              <p key={d.id} className="text-sm text-amber-900">
                {t("adminCustomer.disputeLine", {
                  status: t(`disputeStatus.${d.status}`),
                  amount: formatMoney(d.amountMinor, p.currency, locale),
                  reason: d.reason,
                })}
              </p>
            ))}
            {p.refundableMinor > 0n && p.refundRefusal && (
              <p className="text-sm text-slate-700" data-testid="refund-unavailable">
                {t(`adminCustomer.refundRefused.${p.refundRefusal}`)}
              </p>
            )}
            {p.refundableMinor > 0n && !p.refundRefusal && (
              <details>
                <summary className="cursor-pointer text-brand-700 underline">
                  {t("adminCustomer.refund")}
                  <span className="sr-only"> {String(p.invoiceNumber)}</span>
                </summary>
                <div className="mt-3">
                  <RefundForm
                    action={refundAction}
                    userId={userId}
                    paymentId={p.id}
                    currency={p.currency}
                    rest={formatMoney(p.refundableMinor, p.currency, locale)}
                    idPrefix={`refund-${p.id}`}
                  />
                </div>
              </details>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
