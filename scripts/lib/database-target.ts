import path from "node:path";
import pg from "pg";
import { parseEnv } from "../../lib/config/env";
import { embeddedDatabaseUrl, socketDirFor, startEmbeddedPostgres } from "../../lib/db/embedded";

/**
 * The database `npm run db:backup` and `db:restore` work on: DATABASE_URL's,
 * else the embedded server's `codeplan` database (CODEPLAN_DATA_DIR,
 * EMBEDDED_PG_PORT). The embedded server is used as it runs under `npm start`,
 * or started for the command and stopped after it. `database` names another
 * database on the same server (a restore into a new one).
 */
export async function openTarget(
  database?: string,
): Promise<{ url: string; maintenanceUrl: string; close: () => Promise<void> }> {
  const config = parseEnv(process.env);
  if (config.DATABASE_URL) {
    const url = new URL(config.DATABASE_URL);
    if (database) url.pathname = `/${database}`;
    const maintenance = new URL(url);
    maintenance.pathname = "/postgres";
    return { url: url.toString(), maintenanceUrl: maintenance.toString(), close: async () => {} };
  }
  const dataDir = path.resolve(config.CODEPLAN_DATA_DIR, "pg");
  const port = config.EMBEDDED_PG_PORT;
  const socket = socketDirFor(dataDir, port);
  const name = database ?? "codeplan";
  if (await answers(embeddedDatabaseUrl(port, "postgres", socket)))
    return {
      url: embeddedDatabaseUrl(port, name, socket),
      maintenanceUrl: embeddedDatabaseUrl(port, "postgres", socket),
      close: async () => {},
    };
  const server = await startEmbeddedPostgres({ dataDir, port, log: (line) => console.error(line) });
  return { url: server.url(name), maintenanceUrl: server.url("postgres"), close: server.stop };
}

async function answers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** Creates the database of `url` when it does not exist yet (a restore into a new one). */
export async function ensureDatabase(url: string, maintenanceUrl: string) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const c = new pg.Client({ connectionString: maintenanceUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
  } finally {
    await c.end();
  }
}
