import { testClock } from "../../lib/clock/clock";
import { createDb } from "../../lib/db/client";
import { embeddedDatabaseUrl } from "../../lib/db/embedded";

/** The database of the app the browser tests start (see playwright.config.ts). */
export function e2eDatabaseUrl() {
  return embeddedDatabaseUrl(Number(process.env.E2E_PG_PORT ?? 54331), "codeplan");
}

/**
 * The test helper behind the test clock: moves the application's clock forward,
 * as the admin development page does. Returns the application time after the move.
 */
export async function advanceTestClock(ms: number, databaseUrl = e2eDatabaseUrl()): Promise<Date> {
  const db = createDb(databaseUrl);
  try {
    return await testClock(db).advanceBy(ms);
  } finally {
    await db.$disconnect();
  }
}
