import path from "node:path";
import { randomBytes } from "node:crypto";
import { createDatabase, dropDatabase, openPostgresServer, type PostgresServer } from "../../lib/db/server";

/**
 * Runs `fn` with a Postgres server for throwaway databases: DATABASE_URL's server
 * when set, otherwise an embedded one under .data/tools.
 */
export async function withScratchServer<T>(fn: (server: PostgresServer, scratch: () => Promise<string>) => Promise<T>) {
  const server = await openPostgresServer({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: path.join(process.cwd(), ".data", "tools", "pg"),
    port: Number(process.env.TOOLS_PG_PORT ?? 54339),
  });
  const made: string[] = [];
  const scratch = async () => {
    const name = `scratch_${randomBytes(5).toString("hex")}`;
    await createDatabase(server, name);
    made.push(name);
    return name;
  };
  try {
    return await fn(server, scratch);
  } finally {
    for (const name of made) await dropDatabase(server, name).catch(() => {});
    await server.stop();
  }
}
