import { getLocale, getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/money/format";

const PAYMENT_KINDS = new Set(["credits_applied", "cash_applied", "card_charged", "excess_to_cash"]);

/**
 * An invoice's lines in two parts: what is charged (plan, discounts, the
 * unused value credited) down to the total, then how it is paid (credits,
 * cash, card, and any card-minimum excess going back to cash).
 */
export async function InvoiceLines({ lines, currency, total }: { lines: { kind: string; amountMinor: bigint }[]; currency: string; total: bigint }) {
  const [t, locale] = await Promise.all([getTranslations("invoiceLines"), getLocale()]);
  // Cash added back is either a card-minimum excess (with a card charge) or
  // unused value beyond the new price (never with one): the latter belongs
  // with the charges, so that they add up to the total.
  const hasCard = lines.some((l) => l.kind === "card_charged");
  const isPayment = (kind: string) => PAYMENT_KINDS.has(kind) && (kind !== "excess_to_cash" || hasCard);
  const charges = lines.filter((l) => !isPayment(l.kind));
  const payments = lines.filter((l) => isPayment(l.kind));
  const row = (label: string, amount: bigint, key: string | number, strong = false) => (
    <div key={key} className={`contents${strong ? " font-semibold" : ""}`}>
      <dt className={strong ? "border-t border-slate-200 pt-1" : ""}>{label}</dt>
      <dd className={`text-right tabular-nums${strong ? " border-t border-slate-200 pt-1" : ""}`}>{formatMoney(amount, currency, locale)}</dd>
    </div>
  );
  return (
    <div className="space-y-3 text-sm">
      <dl className="grid grid-cols-[1fr_max-content] gap-x-6 gap-y-1">
        {charges.map((l, i) => row(t(l.kind), l.amountMinor, i))}
        {row(t("total"), total, "total", true)}
      </dl>
      {payments.length > 0 && (
        <div>
          <p className="mb-1 font-medium text-slate-700">{t("paidBy")}</p>
          <dl className="grid grid-cols-[1fr_max-content] gap-x-6 gap-y-1">
            {payments.map((l, i) => row(t(l.kind), l.kind === "excess_to_cash" ? l.amountMinor : -l.amountMinor, i))}
          </dl>
        </div>
      )}
    </div>
  );
}
