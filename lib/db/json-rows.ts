/**
 * Rows for set-based SQL: one jsonb parameter that `jsonb_to_recordset` turns
 * back into a table, so a batch of any size is one statement and one round
 * trip. BigInts travel as strings; Postgres reads them into bigint columns.
 */
export function jsonRows(rows: object): string {
  return JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? v.toString() : v instanceof Date ? v.toISOString() : v));
}
