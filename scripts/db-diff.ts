/**
 * Drafts a migration: the SQL from the schema as last committed (HEAD) to the
 * schema in the working tree, written to prisma/migrations/<timestamp>_<name>/.
 * Review it, add what Prisma cannot express (checks, triggers), then commit both.
 *   npm run db:diff -- add_plans
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { listMigrations } from "../lib/db/migrate";
import { diffDatamodels, readSchema } from "./lib/prisma6";
import { withScratchServer } from "./lib/scratch";

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
  const sql = diffDatamodels(committedSchema(), readSchema(), server.url(await scratch()));
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log("schema.prisma has no changes against HEAD; nothing written");
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`wrote ${dir}/migration.sql`);
});
