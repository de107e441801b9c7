import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

// The pg pool under each client, for the few hot-path statements that must cost one round trip and no more.
// On globalThis, like the client itself: Next bundles routes separately, and a module-level map
// in one bundle would not know the client another bundle made.
const pools: WeakMap<Db, pg.Pool> = ((
  globalThis as unknown as { codeplanPools?: WeakMap<Db, pg.Pool> }
).codeplanPools ??= new WeakMap());

export function createDb(databaseUrl: string): Db {
  // DATABASE_POOL_SIZE: connections per process (pg's default is 10). The decision server under load wants more.
  const size = Number(process.env.DATABASE_POOL_SIZE);
  // No connection timeout here: pg's also bounds the wait for a free connection, and a full pool under load is no
  // outage (a 1-second bound turned a burst of 120 decisions into 503s). An outage is answered by the gate in front
  // of each server (lib/http/outage-gate.ts), and a dead server refuses connections at once.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    ...(Number.isInteger(size) && size > 0 ? { max: size } : {}),
  });
  // An idle connection can fail (the server restarts or stops first). pg emits that on the pool, and
  // without a listener it would end the process; the pool drops the connection and opens a new one when needed.
  pool.on("error", (e) => console.error(`database: an idle connection failed (${e.message})`));
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  // Prisma does not own a pool it is given: $disconnect must close it too, or connections outlive the client.
  const disconnect = client.$disconnect.bind(client);
  let ended = false;
  client.$disconnect = async () => {
    await disconnect();
    if (!ended) {
      ended = true;
      await pool.end();
    }
  };
  pools.set(client, pool);
  return client;
}

/**
 * The connection pool Prisma's adapter uses, for hot paths where Prisma's own
 * per-query work is most of the cost (storing a webhook takes a third of the
 * time Prisma takes: README, "Measured"). Same connections, same transactions semantics: use
 * it for single autocommit statements only.
 */
export function poolOf(database: Db): pg.Pool {
  const pool = pools.get(database);
  if (!pool) throw new Error("this client was not made by createDb");
  return pool;
}

// One client per process; Next's dev server re-evaluates modules, so keep it on globalThis.
const holder = globalThis as unknown as { codeplanDb?: Db };

/** The app's database. DATABASE_URL is set by scripts/start.ts before Next starts. */
export function db(): Db {
  if (!holder.codeplanDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`");
    holder.codeplanDb = createDb(url);
  }
  return holder.codeplanDb;
}
