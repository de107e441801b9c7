/**
 * CI check: schema.prisma and prisma/migrations must describe the same database.
 * Builds one scratch database from the migrations and one from schema.prisma
 * alone (Prisma's own SQL for it), then compares their catalogs. Exit 1 on drift.
 * It also proves our start-up migration runner and Prisma agree: Prisma's
 * `migrate status` must find our runner's database up to date, and after
 * Prisma's `migrate deploy` on a fresh database our runner must find nothing to do.
 */
import pg from "pg";
import { applyMigrations, listMigrations } from "../lib/db/migrate";
import { catalogSnapshot } from "./lib/catalog";
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
  if (!status.ok || !/up to date/i.test(status.output)) fail(`prisma migrate status disagrees with our runner:\n${status.output}`);
  const byPrisma = server.url(await scratch());
  const deploy = prismaMigrate("deploy", byPrisma);
  if (!deploy.ok) fail(`prisma migrate deploy failed on a fresh database:\n${deploy.output}`);
  const after = await applyMigrations(byPrisma);
  if (after.applied.length) fail(`after prisma migrate deploy our runner still applied: ${after.applied.join(", ")}`);

  const a = await catalogSnapshot(fromMigrations);
  const b = await catalogSnapshot(fromSchema);
  return {
    onlyInMigrations: a.filter((l) => !b.includes(l)),
    onlyInSchema: b.filter((l) => !a.includes(l)),
    objects: a.length,
  };
}).catch((e: Error) => {
  console.error(`db:check: ${e.message}`);
  process.exit(1);
});

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
console.log(`db:check ok: ${listMigrations().length} migrations match schema.prisma (${drift.objects} objects compared); prisma migrate status/deploy agree with the start-up runner`);
