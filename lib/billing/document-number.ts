/**
 * INV-1, pure: how a legal document number reads and which year's series it
 * belongs to. The year is the calendar year in the region's business time
 * zone (*config*: `intl` UTC, `cn` Asia/Shanghai), so a China-site invoice
 * paid at 2027-12-31 17:00 UTC (01:00 on 1 January in Shanghai) opens 2028's
 * series. Credit notes have their own series, marked `CR` after the region
 * (`CN-…` alone would read as the China site's invoice series).
 */
export type SeriesKind = "invoice" | "credit_note";
export type SeriesRegion = "intl" | "cn";

/** Six digits, zero-padded; a seventh digit appears only past 999,999 documents in one year. */
export function formatDocumentNumber(kind: SeriesKind, region: SeriesRegion, year: number, seq: number): string {
  const prefix = kind === "credit_note" ? `${region.toUpperCase()}-CR` : region.toUpperCase();
  return `${prefix}-${year}-${String(seq).padStart(6, "0")}`;
}

export function seriesYear(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric" }).format(at));
}

/** The number an invoice is known by: its legal number once paid, else (open, void, or paid before INV-1) its internal one. */
export function invoiceLabel(inv: { legalNumber: string | null; number: bigint }): string {
  return inv.legalNumber ?? String(inv.number);
}
