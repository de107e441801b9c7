import type { Db } from "../db";
import { toCsv } from "../http/csv";
import { movementsOf } from "../ledger";
import { toDecimalString } from "../money/decimal";
import { invoicesOf } from "./history";

/** Billing history as CSV: invoices one row per line, or wallet movements. Amounts are exact decimals with their currency. */
export async function billingExportCsv(database: Db, userId: string, type: "invoices" | "movements"): Promise<string> {
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
    ["invoice", "created_utc", "kind", "status", "tier", "cycle", "period_start_utc", "period_end_utc", "currency", "line", "amount", "invoice_total"],
    invoices.flatMap((inv) =>
      inv.lines.map((l) => [
        String(inv.number),
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
