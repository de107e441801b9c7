import type pg from "pg";
import type { Tx } from "./index";

/**
 * A transaction on a plain pg connection that answers the two raw-SQL calls
 * the set-based ledger code uses ($queryRaw and $executeRaw as tagged
 * templates), for hot paths where Prisma's per-statement cost in the Node
 * process is what limits throughput (the pay-as-you-go settlement). Only raw
 * SQL: any other Prisma call on it throws. int8 columns come back as strings
 * here, so callers read amounts with BigInt(…) either way.
 */
export async function withPgTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const query = (strings: TemplateStringsArray, values: unknown[]) => ({
    text: strings.reduce((sql, part, i) => sql + (i === 0 ? "" : `$${i}`) + part, ""),
    values: values.map((v) => (typeof v === "bigint" ? v.toString() : v)),
  });
  const tx = {
    $queryRaw: async (strings: TemplateStringsArray, ...values: unknown[]) => (await client.query(query(strings, values))).rows,
    $executeRaw: async (strings: TemplateStringsArray, ...values: unknown[]) => (await client.query(query(strings, values))).rowCount ?? 0,
  } as unknown as Tx;
  try {
    await client.query("BEGIN");
    const out = await fn(tx);
    await client.query("COMMIT");
    return out;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
