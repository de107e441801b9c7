/**
 * CI check: schema.prisma and prisma/migrations must describe the same database.
 * Builds one scratch database from the migrations and one from schema.prisma
 * alone (Prisma's own SQL for it), then compares their catalogs. Exit 1 on drift.
 * It also proves our start-up migration runner and Prisma agree: Prisma's
 * `migrate status` must find our runner's database up to date, and after
 * Prisma's `migrate deploy` on a fresh database our runner must find nothing to do
 * but the migrations Prisma's CLI cannot split (WHOLE_FILE_MARKER).
 * And every SQL function, trigger and view must match its one source in
 * prisma/sql/ (applying the sources over the migrations changes no definition).
 */
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { appliedWhole, applyMigrations, listMigrations } from "../lib/db/migrate";
import { catalogSnapshot } from "./lib/catalog";
import { diffSources, readSources } from "./lib/sql-sources";
import { diffDatamodels, prismaMigrate, readSchema } from "./lib/prisma6";
import { withScratchServer } from "./lib/scratch";

const drift = await withScratchServer(async (server, scratch) => {
  const fromMigrations = server.url(await scratch());
  await applyMigrations(fromMigrations);

  const fromSchema = server.url(await scratch());
  const sql = diffDatamodels(null, readSchema(), fromSchema);
  const c = new pg.Client({ connectionString: fromSchema });
  await c.connect();
  await c.query(sql).finally(() => c.end());

  const status = prismaMigrate("status", fromMigrations);
  if (!status.ok || !/up to date/i.test(status.output))
    fail(`prisma migrate status disagrees with our runner:\n${status.output}`);
  const byPrisma = server.url(await scratch());
  const { dir, rest } = splittableMigrations();
  const deploy = prismaMigrate("deploy", byPrisma, dir);
  if (!deploy.ok) fail(`prisma migrate deploy failed on a fresh database:\n${deploy.output}`);
  const after = await applyMigrations(byPrisma);
  if (after.applied.join() !== rest.join())
    fail(
      `after prisma migrate deploy our runner applied: ${after.applied.join(", ") || "nothing"}, expected: ${rest.join(", ") || "nothing"}`,
    );
  const sources = await diffSources(fromMigrations);

  const a = await catalogSnapshot(fromMigrations);
  const b = await catalogSnapshot(fromSchema);
  return {
    onlyInMigrations: a.filter((l) => !b.includes(l)),
    onlyInSchema: b.filter((l) => !a.includes(l)),
    objects: a.length,
    sources,
  };
}).catch((e: Error) => {
  console.error(`db:check: ${e.message}`);
  process.exit(1);
});

/**
 * The migrations before the first one marked as applied whole, copied to a folder
 * of their own for Prisma's CLI (which would split the marked ones at every
 * semicolon), and the names of the rest, which only our runner applies.
 */
function splittableMigrations() {
  const names = listMigrations();
  const from = path.join(process.cwd(), "prisma", "migrations");
  const first = names.findIndex((n) => appliedWhole(readFileSync(path.join(from, n, "migration.sql"), "utf8")));
  const cut = first === -1 ? names.length : first;
  const dir = mkdtempSync(path.join(tmpdir(), "codeplan-migrations-"));
  cpSync(path.join(from, "migration_lock.toml"), path.join(dir, "migration_lock.toml"));
  for (const n of names.slice(0, cut)) cpSync(path.join(from, n), path.join(dir, n), { recursive: true });
  return { dir, rest: names.slice(cut) };
}

// Thrown inside the scratch server's callback, so its databases are still dropped.
function fail(message: string): never {
  throw new Error(message);
}

if (drift.onlyInMigrations.length || drift.onlyInSchema.length) {
  console.error("schema.prisma and prisma/migrations disagree. Run `npm run db:diff -- <name>` to draft a migration.");
  for (const l of drift.onlyInSchema) console.error(`  only in schema.prisma: ${l}`);
  for (const l of drift.onlyInMigrations) console.error(`  only in migrations:    ${l}`);
  process.exit(1);
}
if (drift.sources.length) {
  console.error(
    "prisma/sql/ and prisma/migrations disagree. Edit the source and run `npm run db:diff -- <name>` to draft a migration,",
  );
  console.error("or, if a migration is right, `npm run db:sql:pull` to write its end state into the sources.");
  for (const d of drift.sources) console.error(`  ${d.kind}/${d.name}: ${d.problem}`);
  process.exit(1);
}
console.log(
  `db:check ok: ${listMigrations().length} migrations match schema.prisma (${drift.objects} objects compared) and prisma/sql/ (${readSources().length} sources); prisma migrate status/deploy agree with the start-up runner`,
);
