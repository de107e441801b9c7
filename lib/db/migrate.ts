import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export type MigrationResult = {
  applied: string[];
  alreadyApplied: number;
  /** Applied earlier, but the file has changed since: a migration must never be edited once shipped. */
  edited: string[];
};

const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
// Any constant works; it only has to be the same for every CodePlan process.
const ADVISORY_LOCK = 72_707_353;

/**
 * A migration that opens with this line has plain SQL bodies (real semicolons,
 * dollar quotes, semicolons in comments), as `npm run db:diff` drafts them from
 * prisma/sql/. This runner sends every file to the server whole, as one script,
 * so it applies both kinds alike. Prisma 6's offline CLI (db:check's proof that
 * Prisma agrees with this runner) splits a script at every semicolon, which is
 * why the migrations before the first marked one write `\073` in bodies, and
 * why db:check leaves marked ones out of its `prisma migrate deploy` run.
 */
export const WHOLE_FILE_MARKER = "-- codeplan: applied whole";

export function appliedWhole(sql: string): boolean {
  return sql.startsWith(WHOLE_FILE_MARKER);
}

/**
 * Applies `prisma/migrations/<name>/migration.sql` in name order, each file as one
 * script (see WHOLE_FILE_MARKER), recording each in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does (same table, same
 * sha256 checksum), so the two are interchangeable on one database. Prisma 7's
 * own migrate needs a native engine that cannot be downloaded offline.
 */
export async function applyMigrations(
  databaseUrl: string,
  dir = MIGRATIONS_DIR,
  upTo?: string,
): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Two app instances starting at once must not both migrate.
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);
    const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
    if (failed) throw new Error(`migration ${failed.migration_name} failed earlier; resolve it before starting`);
    const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));

    const applied: string[] = [];
    const edited: string[] = [];
    // `upTo`: a restore builds the schema its backup was taken on, no further (lib/db/backup/restore.ts).
    for (const name of listMigrations(dir).filter((n) => upTo === undefined || n <= upTo)) {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(sql).digest("hex");
      if (done.has(name)) {
        if (done.get(name) !== checksum) edited.push(name);
        continue;
      }
      const id = randomUUID();
      await client.query("BEGIN");
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
          [id, checksum, name],
        );
        await client.query(sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${name} failed: ${(e as Error).message}`);
      }
      applied.push(name);
    }
    return { applied, alreadyApplied: done.size, edited };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK]).catch(() => {});
    await client.end();
  }
}

export function listMigrations(dir = MIGRATIONS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}
