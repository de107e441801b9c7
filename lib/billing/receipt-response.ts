import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { Prisma } from "../db";
import { invoiceLabel } from "./document-number";
import { splitInvoiceLines } from "./invoice-draft";
import { receiptFontAvailable, renderReceipt } from "./receipt-pdf";

type PaidInvoice = Prisma.InvoiceGetPayload<{ include: { lines: true } }> & { paidAt: Date };

/**
 * The PDF receipt of a paid invoice as an HTTP answer, in the viewer's
 * language and zone: the customer downloads their own, an admin a customer's
 * (the routes decide who may see which invoice).
 */
export async function receiptResponse(
  invoice: PaidInvoice,
  customer: { name: string | null; email: string },
): Promise<Response> {
  // Without a CJK font the receipt is in English, so it never prints empty boxes.
  const locale = receiptFontAvailable() ? await getLocale() : "en";
  const [t, format] = await Promise.all([getTranslations({ locale }), getFormatter({ locale })]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "long", timeStyle: "long" });
  const plan =
    invoice.tier && invoice.cycle
      ? t("checkout.planName", { tier: t(`tiers.${invoice.tier}`), cycle: t(`cycles.${invoice.cycle}`) })
      : "";
  const period =
    invoice.periodStart && invoice.periodEnd
      ? t("subscription.periodRange", { start: when(invoice.periodStart), end: when(invoice.periodEnd) })
      : "";
  const { charges, payments } = splitInvoiceLines(invoice.lines);
  const pdf = await renderReceipt({
    number: invoiceLabel(invoice),
    issuedAt: when(invoice.createdAt),
    paidAt: when(invoice.paidAt),
    customer: customer.name ? `${customer.name} <${customer.email}>` : customer.email,
    description: [t(`invoiceKinds.${invoice.kind}`), plan, period].filter(Boolean).join(" · "),
    currency: invoice.currency,
    locale,
    lines: charges.map((l) => ({ label: t(`invoiceLines.${l.kind}`), amountMinor: l.amountMinor })),
    total: { label: t("invoiceLines.total"), amountMinor: invoice.totalMinor },
    payments: payments.map((l) => ({ label: t(`invoiceLines.${l.kind}`), amountMinor: l.amountMinor })),
    labels: {
      title: t("receipt.title"),
      issued: t("receipt.issued"),
      paid: t("receipt.paid"),
      customer: t("receipt.customer"),
      seller: t("receipt.seller"),
      paidBy: t("invoiceLines.paidBy"),
      footer: t("receipt.footer"),
    },
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="codeplan-receipt-${invoiceLabel(invoice)}.pdf"`,
      "cache-control": "private, no-store",
    },
  });
}
