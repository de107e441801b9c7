import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createDb, type Db } from "../../lib/db/client";

export type TestDatabase = { url: string; db: Db; drop: () => Promise<void> };

/**
 * A fresh database cloned from the migrated template, private to the caller,
 * so test files can run in parallel. Also points the app's `db()` at it.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  const template = new URL(inject("templateUrl"));
  const templateName = template.pathname.slice(1);
  const name = `t_${randomBytes(6).toString("hex")}`;
  const maintenance = new URL(template);
  maintenance.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`);
  await admin.end();

  const url = new URL(template);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const db = createDb(url.toString());
  return {
    url: url.toString(),
    db,
    drop: async () => {
      await db.$disconnect();
      const c = new pg.Client({ connectionString: maintenance.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Registers a fresh database for the calling test file (created before its
 * tests, dropped after). Read its fields inside tests, not at import time.
 */
export function setupFreshDatabase(): TestDatabase {
  const t = {} as TestDatabase;
  beforeAll(async () => {
    Object.assign(t, await freshDatabase());
  });
  afterAll(() => t.drop());
  return t;
}
