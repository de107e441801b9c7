import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;

export function createDb(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
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
