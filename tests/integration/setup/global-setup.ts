import path from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../../lib/db/migrate";
import { createDatabase, dropDatabase, openPostgresServer, type PostgresServer } from "../../../lib/db/server";

export const TEMPLATE_DB = "codeplan_test_template";

let server: PostgresServer | undefined;

/**
 * Starts one PostgreSQL for the whole integration run (TEST_DATABASE_URL's
 * server, or an embedded one) and migrates a template database once. Test files
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
