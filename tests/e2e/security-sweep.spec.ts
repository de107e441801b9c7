import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "../support/clock";
import { ATTACKER, findVictims, keyHolderSecret } from "../security/fixtures";
import { planSweep } from "../security/plan";
import { renderTable, runSweep } from "../security/run-sweep";
import { signIn } from "./helpers";

/**
 * tests/security: every route, page and server action of the running app,
 * found from app/ and the build's action manifest, gets anonymous,
 * cross-user, subscriber-on-admin, malformed and oversized requests; each must
 * be refused (or, on the few public surfaces, not fail) and change no row.
 * Runs in its own Playwright project after every other journey, so nothing
 * else writes to the database meanwhile (playwright.config.ts).
 */
test("SEC-1, SEC-3, SEC-4: the security sweep — every route and action refuses anonymous, cross-user, malformed and oversized requests and changes no row", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  await signIn(page, ATTACKER);
  const attackerCookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const keySecret = await keyHolderSecret(e2eDatabaseUrl());
    const victims = await findVictims(client);
    const distDir = process.env.E2E_DIST_DIR ?? ".next-e2e";
    // The decision server listens on the app's port + 1 (DECISION_PORT in playwright.config.ts).
    const decision = new URL(baseURL!);
    decision.port = String(Number(decision.port) + 1);
    const targets = planSweep({
      base: baseURL!,
      decisionBase: decision.origin,
      distDir,
      attackerCookie,
      keySecret,
      victims,
    });
    const rows = await runSweep(baseURL!, targets, client);
    console.log(
      `\nsecurity sweep: ${targets.length} targets, ${targets.reduce((n, t) => n + t.attacks.length, 0)} requests\n${renderTable(rows)}\n`,
    );
    expect(rows.flatMap((r) => r.failures.map((f) => `${r.target}: ${f}`))).toEqual([]);
  } finally {
    await client.end();
  }
});
