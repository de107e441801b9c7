import { once } from "node:events";
import type { Writable } from "node:stream";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { FORMAT, VERSION, type Header } from "./format";
import { dataTables, quoteIdent, sequences } from "./tables";

export type DumpResult = { tables: number; rows: number; migrations: number };

/**
 * REL-4: writes a backup of the database at `url` to `out` (uncompressed; the
 * caller gzips). Everything is read in one REPEATABLE READ READ ONLY
 * transaction, as pg_dump does: one snapshot, so a backup taken under load is
 * consistent (every posting with all its entries, every counter with its uses)
 * and the app goes on writing meanwhile.
 */
export async function dumpDatabase(url: string, out: Writable): Promise<DumpResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const write = async (data: string | Buffer) => {
    if (!out.write(data)) await once(out, "drain");
  };
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const migrations = await client
      .query<{ name: string }>(
        `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1`,
      )
      .then((r) => r.rows.map((x) => x.name));
    const seqs: Header["sequences"] = [];
    for (const name of await sequences(client)) {
      const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
        `SELECT last_value::text, is_called FROM ${quoteIdent(name)}`,
      );
      seqs.push({ name, lastValue: rows[0].last_value, isCalled: rows[0].is_called });
    }
    const serverVersion = (await client.query<{ v: string }>("SHOW server_version")).rows[0].v;
    const header: Header = {
      format: FORMAT,
      version: VERSION,
      takenAt: new Date().toISOString(),
      serverVersion,
      migrations,
      sequences: seqs,
    };
    await write(`${JSON.stringify(header)}\n`);
    let total = 0;
    const tables = await dataTables(client);
    for (const { table, columns } of tables) {
      await write(`${JSON.stringify({ table, columns })}\n`);
      const cols = columns.map(quoteIdent).join(", ");
      const stream = client.query(copyTo(`COPY (SELECT ${cols} FROM ${quoteIdent(table)}) TO STDOUT`));
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        await write(`${chunk.length}\n`);
        await write(chunk);
      }
      const rows = stream.rowCount ?? 0;
      total += rows;
      await write(`0\n${JSON.stringify({ end: table, rows })}\n`);
    }
    await client.query("COMMIT");
    return { tables: tables.length, rows: total, migrations: migrations.length };
  } finally {
    await client.end();
  }
}
