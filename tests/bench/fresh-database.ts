import { readCatalogFile } from "../../lib/billing/catalog-file";
import { syncCatalog } from "../../lib/composition/catalog-sync";
import { createDb, type Db } from "../../lib/db/client";
import { applyMigrations } from "../../lib/db/migrate";
import { createDatabase, dropDatabase, type PostgresServer } from "../../lib/db/server";

/** A benchmark's database, made again from nothing: migrated and with the catalog synced, as `npm start` leaves it. */
export async function freshBenchDatabase(server: PostgresServer, name: string): Promise<{ url: string; db: Db }> {
  await dropDatabase(server, name);
  await createDatabase(server, name);
  const url = server.url(name);
  await applyMigrations(url);
  const db = createDb(url);
  await syncCatalog(db, readCatalogFile(), new Date());
  return { url, db };
}
