import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// Used only by scripts/lib/prisma6.ts: Prisma 6.19's CLI with its WebAssembly
// schema engine ("engine: js"), which works offline. PRISMA6_SCHEMA names a copy
// of prisma/schema.prisma with a `url` and no generator, as this CLI wants.

// The engine reads Postgres catalog columns whose types adapter-pg cannot map
// ("Column type 'name' could not be deserialized", prisma/orm#27403). pg already
// parses them as strings, so relabelling them as text is exact.
const TEXT = 25;
const TEXT_ARRAY = 1009;
const RELABEL: Record<number, number> = {
  18: TEXT, // "char"
  19: TEXT, // name
  24: TEXT, // regproc
  28: TEXT, // xid
  194: TEXT, // pg_node_tree
  2205: TEXT, // regclass
  2206: TEXT, // regtype
  1003: TEXT_ARRAY, // name[]
};

function relabel<T>(result: T): T {
  const fields = (result as { fields?: { dataTypeID: number }[] })?.fields;
  for (const f of fields ?? []) f.dataTypeID = RELABEL[f.dataTypeID] ?? f.dataTypeID;
  return result;
}

function wrapQuery<Q extends { query: (...a: never[]) => unknown }>(target: Q) {
  const original = target.query.bind(target) as (...a: unknown[]) => unknown;
  (target as { query: unknown }).query = (...a: unknown[]) => {
    const r = original(...a);
    return r instanceof Promise ? r.then(relabel) : r;
  };
  return target;
}

class RelabellingPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    wrapQuery(this);
    this.on("connect", (client) => void wrapQuery(client));
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: process.env.PRISMA6_SCHEMA!,
  migrations: { path: process.env.PRISMA6_MIGRATIONS! },
  adapter: async () => new PrismaPg(new RelabellingPool({ connectionString: process.env.DATABASE_URL })),
});
