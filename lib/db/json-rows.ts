/**
 * Rows for set-based SQL: one jsonb parameter that `jsonb_to_recordset` turns
 * back into a table, so a batch of any size is one statement and one round
 * trip. BigInts travel as strings; Postgres reads them into bigint columns.
 */
export function jsonRows(rows: object): string {
  // Without a replacer first: it runs for every value, and most batches hold no BigInt (JSON.stringify refuses one).
  // Dates need none: their toJSON is their ISO string.
  try {
    return JSON.stringify(rows);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  }
}
