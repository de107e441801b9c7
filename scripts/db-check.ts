/**
 * CI check: schema.prisma and prisma/migrations must describe the same database.
 * Builds one scratch database from the migrations and one from schema.prisma
 * alone (Prisma's own SQL for it), then compares their catalogs. Exit 1 on drift.
 */
import pg from "pg";
import { applyMigrations, listMigrations } from "../lib/db/migrate";
import { catalogSnapshot } from "./lib/catalog";
import { diffDatamodels, readSchema } from "./lib/prisma6";
import { withScratchServer } from "./lib/scratch";

const drift = await withScratchServer(async (server, scratch) => {
  const fromMigrations = server.url(await scratch());
  await applyMigrations(fromMigrations);

  const fromSchema = server.url(await scratch());
  const sql = diffDatamodels(null, readSchema(), fromSchema);
  const c = new pg.Client({ connectionString: fromSchema });
  await c.connect();
  await c.query(sql).finally(() => c.end());

  const a = await catalogSnapshot(fromMigrations);
  const b = await catalogSnapshot(fromSchema);
  return {
    onlyInMigrations: a.filter((l) => !b.includes(l)),
    onlyInSchema: b.filter((l) => !a.includes(l)),
    objects: a.length,
  };
});

if (drift.onlyInMigrations.length || drift.onlyInSchema.length) {
  console.error("schema.prisma and prisma/migrations disagree. Run `npm run db:diff -- <name>` to draft a migration.");
  for (const l of drift.onlyInSchema) console.error(`  only in schema.prisma: ${l}`);
  for (const l of drift.onlyInMigrations) console.error(`  only in migrations:    ${l}`);
  process.exit(1);
}
console.log(`db:check ok: ${listMigrations().length} migrations match schema.prisma (${drift.objects} objects compared)`);
