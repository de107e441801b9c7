import { dailyRecords } from "../api-billing";
import type { Db } from "../db";
import { toCsv } from "../http/csv";
import { movementsOf } from "../ledger";
import { microToDecimalString, toDecimalString } from "../money/decimal";
import { invoiceLabel } from "../billing/document-number";
import { creditNotesOf, invoicesOf } from "../billing/history";

export const EXPORT_TYPES = ["invoices", "credit_notes", "movements", "daily"] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];

/**
 * Billing history as CSV: invoices one row per line (by legal number, INV-1),
 * credit notes one row per reversed line, wallet movements, or daily API
 * consumption (BILL-2, BILL-4). Amounts are exact decimals with their currency.
 */
export async function billingExportCsv(database: Db, userId: string, type: ExportType): Promise<string> {
  if (type === "daily") return dailyCsv(database, userId);
  if (type === "credit_notes") return creditNotesCsv(database, userId);
  if (type === "movements") {
    const rows = await movementsOf(database, userId, 10_000);
    return toCsv(
      ["time_utc", "kind", "account", "currency", "amount", "balance_after", "invoice_id", "memo"],
      rows.map((m) => [
        m.at.toISOString(),
        m.kind,
        m.account,
        m.currency,
        toDecimalString(m.amountMinor, m.currency),
        toDecimalString(m.balanceAfterMinor, m.currency),
        m.invoiceId,
        m.memo,
      ]),
    );
  }
  const invoices = await invoicesOf(database, userId, 10_000);
  return toCsv(
    [
      "invoice",
      "created_utc",
      "kind",
      "status",
      "tier",
      "cycle",
      "period_start_utc",
      "period_end_utc",
      "currency",
      "line",
      "amount",
      "invoice_total",
    ],
    invoices.flatMap((inv) =>
      inv.lines.map((l) => [
        invoiceLabel(inv),
        inv.createdAt.toISOString(),
        inv.kind,
        inv.status,
        inv.tier,
        inv.cycle,
        inv.periodStart?.toISOString() ?? null,
        inv.periodEnd?.toISOString() ?? null,
        inv.currency,
        l.kind,
        toDecimalString(l.amountMinor, inv.currency),
        toDecimalString(inv.totalMinor, inv.currency),
      ]),
    ),
  );
}

/** INV-1: one row per line a credit note reverses (positive: given back), with the invoice it corrects. */
async function creditNotesCsv(database: Db, userId: string): Promise<string> {
  const notes = await creditNotesOf(database, userId);
  return toCsv(
    ["credit_note", "issued_utc", "invoice", "currency", "line", "amount", "credit_note_total"],
    notes.flatMap((n) =>
      n.lines.map((l) => [
        n.number,
        n.issuedAt.toISOString(),
        invoiceLabel(n.invoice),
        n.currency,
        l.kind,
        toDecimalString(l.amountMinor, n.currency),
        toDecimalString(n.amountMinor, n.currency),
      ]),
    ),
  );
}

/**
 * One row per day, model and source; the pack columns name the pack that paid (empty for cash, bonus and the
 * subscription). `amount` is what was charged, `exact_fee` the calls' exact fees to the micro-unit (BILL-1).
 */
async function dailyCsv(database: Db, userId: string): Promise<string> {
  const rows = await dailyRecords(database, userId, { take: 10_000 });
  return toCsv(
    [
      "day",
      "model",
      "source",
      "pack",
      "pack_expires_utc",
      "calls",
      "input_tokens",
      "output_tokens",
      "cached_tokens",
      "currency",
      "amount",
      "exact_fee",
    ],
    rows.map((r) => [
      r.day,
      r.model,
      r.source,
      r.pack?.product ?? null,
      r.pack?.expiresAt?.toISOString() ?? null,
      String(r.calls),
      String(r.inputTokens),
      String(r.outputTokens),
      String(r.cachedTokens),
      r.currency,
      toDecimalString(r.amountMinor, r.currency),
      microToDecimalString(r.amountMicro, r.currency),
    ]),
  );
}
