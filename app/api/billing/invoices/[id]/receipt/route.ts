import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { invoiceOf } from "@/lib/billing";
import { splitInvoiceLines } from "@/lib/billing/invoice-draft";
import { receiptFontAvailable, renderReceipt } from "@/lib/billing/receipt-pdf";
import { db } from "@/lib/db";
import { apiError, withApiErrors } from "@/lib/http/api-error";

/** A PDF receipt for one of the signed-in user's paid invoices, in their language and zone. */
export const GET = withApiErrors(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const user = await getCurrentUser();
  if (!user) return apiError(401, "unauthenticated", "Sign in to download receipts.");
  const id = z.uuid().safeParse((await ctx.params).id);
  const invoice = id.success ? await invoiceOf(db(), user.id, id.data) : null;
  if (!invoice || invoice.status !== "paid" || !invoice.paidAt) return apiError(404, "not_found", "No paid invoice with this id.");
  // Without a CJK font the receipt is in English, so it never prints empty boxes.
  const locale = receiptFontAvailable() ? await getLocale() : "en";
  const [t, format] = await Promise.all([getTranslations({ locale }), getFormatter({ locale })]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "long", timeStyle: "long" });
  const plan = invoice.tier && invoice.cycle ? t("checkout.planName", { tier: t(`tiers.${invoice.tier}`), cycle: t(`cycles.${invoice.cycle}`) }) : "";
  const period = invoice.periodStart && invoice.periodEnd ? t("subscription.periodRange", { start: when(invoice.periodStart), end: when(invoice.periodEnd) }) : "";
  const { charges, payments } = splitInvoiceLines(invoice.lines);
  const pdf = await renderReceipt({
    number: String(invoice.number),
    issuedAt: when(invoice.createdAt),
    paidAt: when(invoice.paidAt),
    customer: user.name ? `${user.name} <${user.email}>` : user.email,
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
      "content-disposition": `inline; filename="codeplan-receipt-${invoice.number}.pdf"`,
      "cache-control": "private, no-store",
    },
  });
});
