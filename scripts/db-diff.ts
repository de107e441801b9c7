/**
 * Drafts a migration: the SQL from the schema as last committed (HEAD) to the
 * schema in the working tree, then every SQL source in prisma/sql/ that differs
 * from the migrations' end state (copied whole, real semicolons and all), written
 * to prisma/migrations/<timestamp>_<name>/ and marked to be applied whole.
 * Review it, add what Prisma cannot express (checks), then commit it with the sources.
 *   npm run db:diff -- add_plans
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { applyMigrations, listMigrations, WHOLE_FILE_MARKER } from "../lib/db/migrate";
import { diffDatamodels, readSchema } from "./lib/prisma6";
import { withScratchServer } from "./lib/scratch";
import { changedSources } from "./lib/sql-changes";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <snake_case_name>");
  process.exit(2);
}

function committedSchema(): string | null {
  if (listMigrations().length === 0) return null;
  return execFileSync("git", ["show", "HEAD:prisma/schema.prisma"], { encoding: "utf8" });
}

await withScratchServer(async (server, scratch) => {
  const schemaSql = diffDatamodels(committedSchema(), readSchema(), server.url(await scratch()));
  const schemaChanged = schemaSql.trim() && !/^-- This is an empty migration/.test(schemaSql.trim());
  const migrated = server.url(await scratch());
  await applyMigrations(migrated);
  // After the schema change, so a source may name a new column.
  const sources = await changedSources(migrated, schemaChanged ? schemaSql : "");
  if (!schemaChanged && !sources.length) {
    console.log("schema.prisma has no changes against HEAD and prisma/sql/ matches the migrations; nothing written");
    return;
  }
  const sql =
    [WHOLE_FILE_MARKER, schemaChanged ? schemaSql.trimEnd() : "", ...sources].filter(Boolean).join("\n\n") + "\n";
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`wrote ${dir}/migration.sql`);
});
