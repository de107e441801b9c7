import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { Prisma } from "../db";
import { invoiceLabel } from "./document-number";
import { receiptFontAvailable, renderReceipt } from "./receipt-pdf";

type Note = Prisma.CreditNoteGetPayload<{
  include: { lines: true; invoice: { select: { number: true; legalNumber: true; kind: true } } };
}>;

/**
 * INV-1: a credit note as a PDF, in the viewer's language and zone, on the
 * receipt's layout: its number, the invoice it corrects and the lines it
 * reverses. The routes decide who may see which note.
 */
export async function creditNoteResponse(
  note: Note,
  customer: { name: string | null; email: string },
): Promise<Response> {
  // Without a CJK font the note is in English, so it never prints empty boxes.
  const locale = receiptFontAvailable() ? await getLocale() : "en";
  const [t, format] = await Promise.all([getTranslations({ locale }), getFormatter({ locale })]);
  const when = format.dateTime(note.issuedAt, { dateStyle: "long", timeStyle: "long" });
  const invoice = invoiceLabel(note.invoice);
  const pdf = await renderReceipt({
    number: note.number,
    issuedAt: when,
    paidAt: when,
    customer: customer.name ? `${customer.name} <${customer.email}>` : customer.email,
    description: [t("creditNote.corrects", { number: invoice }), t(`invoiceKinds.${note.invoice.kind}`)].join(" · "),
    currency: note.currency,
    locale,
    lines: note.lines.map((l) => ({ label: t(`creditNote.lines.${l.kind as "plan"}`), amountMinor: l.amountMinor })),
    total: { label: t("creditNote.total"), amountMinor: note.amountMinor },
    payments: [],
    labels: {
      title: t("creditNote.title"),
      issued: t("creditNote.issued"),
      paid: t("creditNote.refunded"),
      customer: t("receipt.customer"),
      seller: t("receipt.seller"),
      paidBy: t("invoiceLines.paidBy"),
      footer: t("creditNote.footer", { number: invoice }),
    },
  });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="codeplan-credit-note-${note.number}.pdf"`,
      "cache-control": "private, no-store",
    },
  });
}
