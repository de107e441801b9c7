import pg from "pg";
import { startEmbeddedPostgres } from "./embedded";

export type PostgresServer = {
  /** Connection URL for one database on this server. */
  url: (database: string) => string;
  /** True when we started the server ourselves (no DATABASE_URL). */
  embedded: boolean;
  stop: () => Promise<void>;
};

/**
 * The server behind DATABASE_URL when it is set, otherwise an embedded one with
 * its data in `dataDir`. Tools and tests use it to create scratch databases.
 */
export async function openPostgresServer(opts: {
  databaseUrl?: string;
  dataDir: string;
  port: number;
}): Promise<PostgresServer> {
  if (opts.databaseUrl) {
    const base = new URL(opts.databaseUrl);
    return {
      embedded: false,
      url: (database) => {
        const u = new URL(base);
        u.pathname = `/${database}`;
        return u.toString();
      },
      stop: async () => {},
    };
  }
  const server = await startEmbeddedPostgres({ dataDir: opts.dataDir, port: opts.port });
  return { embedded: true, url: server.url, stop: server.stop };
}

/** Runs SQL on the server's maintenance database (`postgres`). */
export async function onMaintenanceDb<T>(server: PostgresServer, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server.url("postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(server: PostgresServer, name: string, template?: string) {
  await onMaintenanceDb(server, async (c) => {
    await c.query(
      `CREATE DATABASE ${c.escapeIdentifier(name)}${template ? ` TEMPLATE ${c.escapeIdentifier(template)}` : ""}`,
    );
  });
}

export async function dropDatabase(server: PostgresServer, name: string) {
  await onMaintenanceDb(server, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
}

export async function databaseExists(server: PostgresServer, name: string): Promise<boolean> {
  return onMaintenanceDb(server, async (c) => {
    const r = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return r.rowCount === 1;
  });
}
