import { getLocale, getTranslations } from "next-intl/server";
import { splitInvoiceLines } from "@/lib/billing/invoice-draft";
import { formatMoney } from "@/lib/money/format";

/** An invoice's lines in two parts: what is charged down to the total, then how it is paid. */
export async function InvoiceLines({
  lines,
  currency,
  total,
}: {
  lines: { kind: string; amountMinor: bigint }[];
  currency: string;
  total: bigint;
}) {
  const [t, locale] = await Promise.all([getTranslations("invoiceLines"), getLocale()]);
  const { charges, payments } = splitInvoiceLines(lines);
  const row = (label: string, amount: bigint, key: string | number, strong = false) => (
    <div key={key} className={`contents${strong ? " font-semibold" : ""}`}>
      <dt className={strong ? "border-t border-slate-200 pt-1" : ""}>{label}</dt>
      <dd className={`text-right tabular-nums${strong ? " border-t border-slate-200 pt-1" : ""}`}>
        {formatMoney(amount, currency, locale)}
      </dd>
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
            {payments.map((l, i) => row(t(l.kind), l.amountMinor, i))}
          </dl>
        </div>
      )}
    </div>
  );
}
