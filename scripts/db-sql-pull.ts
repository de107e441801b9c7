/**
 * Writes the migrations' end state into prisma/sql/: builds a scratch database
 * from prisma/migrations and writes each function, trigger and view it holds
 * to its source file (a file's leading `--` comment is kept), removing files
 * whose object no migration defines. For folding a migration that redefined a
 * function in the old `\073` style into its source:
 *   npm run db:sql:pull
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../lib/db/migrate";
import { KINDS, SQL_DIR, readDefinitions, readSources } from "./lib/sql-sources";
import { withScratchServer } from "./lib/scratch";

/** The comment lines a source file opens with: the why, which the database does not keep. */
function header(file: string): string {
  if (!existsSync(file)) return "";
  const lines = readFileSync(file, "utf8").split("\n");
  const end = lines.findIndex((l) => !l.startsWith("--"));
  return lines
    .slice(0, end === -1 ? lines.length : end)
    .map((l) => `${l}\n`)
    .join("");
}

const definitions = await withScratchServer(async (server, scratch) => {
  const url = server.url(await scratch());
  await applyMigrations(url);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await readDefinitions(c);
  } finally {
    await c.end();
  }
});

let written = 0;
for (const kind of KINDS) mkdirSync(path.join(SQL_DIR, kind), { recursive: true });
for (const d of definitions) {
  const file = path.join(SQL_DIR, d.kind, `${d.name}.sql`);
  const text = header(file) + d.sql;
  if (existsSync(file) && readFileSync(file, "utf8") === text) continue;
  writeFileSync(file, text);
  written++;
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
const kept = new Set(definitions.map((d) => `${d.kind}/${d.name}`));
for (const s of readSources()) {
  if (kept.has(`${s.kind}/${s.name}`)) continue;
  rmSync(s.file);
  console.log(`removed ${path.relative(process.cwd(), s.file)} (no migration defines it)`);
}
console.log(`db:sql:pull: ${definitions.length} objects, ${written} files written`);
