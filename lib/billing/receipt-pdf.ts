import { existsSync } from "node:fs";
import PDFDocument from "pdfkit";
import { formatMoney } from "../money/format";

// pdfkit writes real PDF with embedded, subsetted fonts. Chinese needs a CJK
// font: the Noto CJK collection (Debian's fonts-noto-cjk, which CI installs)
// or any TTF/OTF/TTC named by RECEIPT_FONT. Without one, receipts fall back to
// Helvetica and English labels rather than printing empty boxes.
const CJK_FONT = process.env.RECEIPT_FONT ?? "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const CJK_FACE = process.env.RECEIPT_FONT_FACE ?? "NotoSansCJKsc-Regular";

// A system font, looked up at run time: the ignore comment keeps Next's file tracer out of it.
export const receiptFontAvailable = () => existsSync(/* turbopackIgnore: true */ CJK_FONT);

export type ReceiptInput = {
  number: string;
  issuedAt: string;
  paidAt: string;
  customer: string;
  description: string;
  currency: string;
  locale: string;
  lines: { label: string; amountMinor: bigint }[];
  total: { label: string; amountMinor: bigint };
  payments: { label: string; amountMinor: bigint }[];
  labels: {
    title: string;
    issued: string;
    paid: string;
    customer: string;
    seller: string;
    paidBy: string;
    footer: string;
  };
};

/** Renders one paid invoice's receipt. Labels and dates come formatted in the customer's language and zone. */
export function renderReceipt(r: ReceiptInput): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 56, info: { Title: `${r.labels.title} ${r.number}` } });
  if (receiptFontAvailable()) doc.font(CJK_FONT, CJK_FACE);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  const money = (m: bigint) => formatMoney(m, r.currency, r.locale);

  doc.fontSize(20).text(`${r.labels.title} ${r.number}`);
  doc.moveDown(0.5).fontSize(10).fillColor("#475569");
  doc.text(r.labels.seller);
  doc.text(`${r.labels.customer}: ${r.customer}`);
  doc.text(`${r.labels.issued}: ${r.issuedAt}`);
  doc.text(`${r.labels.paid}: ${r.paidAt}`);
  doc.moveDown().fillColor("#0f172a").fontSize(12).text(r.description);
  doc.moveDown(0.5).fontSize(11);
  const row = (label: string, amount: string) => {
    const y = doc.y;
    doc.text(label, 56, y, { width: 330 });
    doc.text(amount, 390, y, { width: 150, align: "right" });
    doc.moveDown(0.3);
  };
  for (const l of r.lines) row(l.label, money(l.amountMinor));
  doc
    .moveTo(56, doc.y + 2)
    .lineTo(540, doc.y + 2)
    .strokeColor("#cbd5e1")
    .stroke();
  doc.moveDown(0.5);
  row(r.total.label, money(r.total.amountMinor));
  if (r.payments.length) {
    doc.moveDown(0.8).fillColor("#475569").text(r.labels.paidBy, 56, doc.y).fillColor("#0f172a").moveDown(0.3);
    for (const p of r.payments) row(p.label, money(p.amountMinor));
  }
  doc.moveDown(2).fontSize(9).fillColor("#475569").text(r.labels.footer, 56, doc.y, { width: 484 });
  doc.end();
  return done;
}
