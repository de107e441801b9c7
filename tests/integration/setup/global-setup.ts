import path from "node:path";
import type { TestProject } from "vitest/node";
import { readCatalogFile } from "../../../lib/billing/catalog-file";
import { syncCatalog } from "../../../lib/composition/catalog-sync";
import { createDb } from "../../../lib/db/client";
import { applyMigrations } from "../../../lib/db/migrate";
import { createDatabase, dropDatabase, openPostgresServer, type PostgresServer } from "../../../lib/db/server";

export const TEMPLATE_DB = "codeplan_test_template";

let server: PostgresServer | undefined;

/**
 * Starts one PostgreSQL for the whole integration run (TEST_DATABASE_URL's
 * server, or an embedded one) migrates a template database once and syncs the billing catalog into it. Test files
 * then clone it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
export async function setup(project: TestProject) {
  server = await openPostgresServer({
    databaseUrl: process.env.TEST_DATABASE_URL,
    dataDir: path.join(process.cwd(), ".data", "test", "pg"),
    port: Number(process.env.TEST_PG_PORT ?? 54330),
  });
  await dropDatabase(server, TEMPLATE_DB);
  await createDatabase(server, TEMPLATE_DB);
  await applyMigrations(server.url(TEMPLATE_DB));
  // Every test database starts with the configured catalog, as the app does.
  const template = createDb(server.url(TEMPLATE_DB));
  await syncCatalog(template, readCatalogFile(), new Date());
  await template.$disconnect();
  project.provide("templateUrl", server.url(TEMPLATE_DB));
}

export async function teardown() {
  await server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    templateUrl: string;
  }
}
