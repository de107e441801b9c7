import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const CLI_DIR = path.join(process.cwd(), "scripts", "prisma-cli");

/** Installs the side CLI on first use; it is only needed to draft and check migrations. */
function ensureInstalled() {
  if (existsSync(path.join(CLI_DIR, "node_modules", "prisma"))) return;
  console.log("installing the migration CLI (scripts/prisma-cli)…");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: CLI_DIR, stdio: "inherit" });
}

/** A copy of a schema as Prisma 6 wants it: a `url`, and no generator (it would fetch an engine). */
export function schemaForPrisma6(source: string): string {
  const body = source
    .replace(/generator\s+\w+\s*\{[^}]*\}/g, "")
    .replace(
      /datasource\s+db\s*\{[^}]*\}/,
      'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}',
    );
  const dir = mkdtempSync(path.join(tmpdir(), "codeplan-schema-"));
  const file = path.join(dir, "schema.prisma");
  writeFileSync(file, body);
  return file;
}

function runCli(
  args: string[],
  databaseUrl: string,
  schemaFile: string,
  migrationsDir = path.join(process.cwd(), "prisma", "migrations"),
) {
  ensureInstalled();
  return spawnSync(path.join(CLI_DIR, "node_modules", ".bin", "prisma"), args, {
    cwd: CLI_DIR,
    encoding: "utf8",
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PRISMA6_SCHEMA: schemaFile,
      PRISMA6_MIGRATIONS: migrationsDir,
      PRISMA_CLIENT_ENGINE_TYPE: "client",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
}

/**
 * SQL that turns the `from` datamodel into the `to` one (`null` = empty database).
 * The CLI connects to `databaseUrl` although the diff itself reads no data.
 */
export function diffDatamodels(from: string | null, to: string, databaseUrl: string): string {
  const toFile = schemaForPrisma6(to);
  const fromArgs = from === null ? ["--from-empty"] : ["--from-schema-datamodel", schemaForPrisma6(from)];
  const r = runCli(["migrate", "diff", ...fromArgs, "--to-schema-datamodel", toFile, "--script"], databaseUrl, toFile);
  if (r.status !== 0) throw new Error(`prisma migrate diff failed:\n${r.stderr}`);
  return r.stdout;
}

/** Prisma's own `migrate deploy` / `migrate status`, to prove our runner and Prisma agree. */
export function prismaMigrate(command: "deploy" | "status", databaseUrl: string, migrationsDir?: string) {
  const r = runCli(["migrate", command], databaseUrl, schemaForPrisma6(readSchema()), migrationsDir);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

export function readSchema(file = path.join(process.cwd(), "prisma", "schema.prisma")) {
  return readFileSync(file, "utf8");
}
