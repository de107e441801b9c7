import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { applyMigrations, listMigrations } from "../migrate";
import { BackupReader, FORMAT, VERSION, type Header, type TableEnd, type TableStart } from "./format";
import { dataTables, quoteIdent } from "./tables";

export class RestoreError extends Error {}

export type RestoreResult = { tables: number; rows: number; migrations: number };

/**
 * REL-4: restores a backup (lib/db/backup/dump.ts) into the database at
 * `url`, which must hold no CodePlan tables yet. It builds the schema the
 * backup was taken on (its migrations, no newer: `npm start` applies those
 * afterwards, to the data, as on any upgrade), then loads every table in one
 * transaction: a failed restore leaves nothing half-loaded. Triggers are off
 * while loading (session_replication_role = replica, as pg_restore's
 * --disable-triggers): the rows are already what the triggers made, and a
 * balance trigger run again would count every posting twice. That setting
 * needs a superuser (or, on Postgres 15+, a role granted SET on it).
 */
export async function restoreDatabase(url: string, input: AsyncIterable<Buffer>): Promise<RestoreResult> {
  const reader = new BackupReader(input[Symbol.asyncIterator]());
  const header = await reader.json<Header>().catch(() => {
    throw new RestoreError("this is not a CodePlan backup (no header)");
  });
  if (header.format !== FORMAT || header.version !== VERSION)
    throw new RestoreError(`this is not a CodePlan backup of version ${VERSION}`);
  const known = listMigrations();
  const unknown = header.migrations.filter((m) => !known.includes(m));
  if (unknown.length)
    throw new RestoreError(
      `the backup comes from a newer CodePlan (migrations ${unknown.join(", ")} are not in this one): restore it with that version`,
    );
  const last = header.migrations.at(-1);
  const missing = known.filter((m) => last !== undefined && m < last && !header.migrations.includes(m));
  if (missing.length)
    throw new RestoreError(
      `the backup's schema lacks migrations this CodePlan has before its last one (${missing.join(", ")})`,
    );

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const existing = await client.query(
      `SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' LIMIT 1`,
    );
    if (existing.rowCount)
      throw new RestoreError("the target database already holds tables: restore into an empty (new) database");
    await applyMigrations(url, undefined, last ?? "");
    const tables = new Map((await dataTables(client)).map((t) => [t.table, t.columns]));
    await client.query("BEGIN");
    try {
      await client.query("SET LOCAL session_replication_role = replica").catch((e: Error) => {
        throw new RestoreError(
          `the database role may not turn triggers off for the load (${e.message}); restore as a superuser`,
        );
      });
      // Migrations may have inserted reference rows (regions, the clock): the backup's rows replace them.
      if (tables.size) await client.query(`TRUNCATE ${[...tables.keys()].map(quoteIdent).join(", ")}`);
      let count = 0;
      let rows = 0;
      for (;;) {
        const line = await reader.line();
        if (line === null || line === "") break;
        const start = JSON.parse(line) as TableStart;
        if (!tables.has(start.table))
          throw new RestoreError(`the backup has a table this schema does not: ${start.table}`);
        const cols = start.columns.map(quoteIdent).join(", ");
        const sink = client.query(copyFrom(`COPY ${quoteIdent(start.table)} (${cols}) FROM STDIN`));
        await pipeline(Readable.from(reader.chunks()), sink);
        const end = await reader.json<TableEnd>();
        if (end.end !== start.table || Number(sink.rowCount) !== end.rows)
          throw new RestoreError(
            `table ${start.table}: ${sink.rowCount} rows loaded, the backup says ${end.rows} (damaged file?)`,
          );
        count += 1;
        rows += end.rows;
      }
      for (const s of header.sequences)
        await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [
          quoteIdent(s.name),
          s.lastValue,
          s.isCalled,
        ]);
      await client.query("COMMIT");
      return { tables: count, rows, migrations: header.migrations.length };
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    }
  } finally {
    await client.end();
  }
}
