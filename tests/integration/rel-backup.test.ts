import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testClock } from "../../lib/clock/clock";
import { giveCash, giveCredits } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { checkInvariants, describeViolations } from "../support/invariants";
import { ask, ctxOf, subscriberWithKey } from "../support/quota";

// REL-4: `npm run db:backup` and `npm run db:restore` as an operator runs them, on this file's database (a server
// given by DATABASE_URL); the restored copies go into new databases on the same server.
const t = setupFreshDatabase();
const dir = mkdtempSync(path.join(tmpdir(), "codeplan-backup-"));
const copies: string[] = [];

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: urlOf("postgres") });
  await admin.connect();
  for (const name of copies) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
});

function urlOf(database: string) {
  const u = new URL(t.url);
  u.pathname = `/${database}`;
  return u.toString();
}

const env = () => ({ ...process.env, DATABASE_URL: t.url, APP_ENV: "test" });

function run(script: "db-backup" | "db-restore", args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], { env: env() });
    let out = "";
    p.stdout.on("data", (b) => (out += b));
    p.stderr.on("data", (b) => (out += b));
    p.on("exit", (status) => resolve({ status, out }));
  });
}

async function restoreCopy(file: string) {
  const name = `copy_${Math.random().toString(36).slice(2, 10)}`;
  copies.push(name);
  const r = await run("db-restore", [file, "--database", name]);
  expect(r.status, r.out).toBe(0);
  return urlOf(name);
}

/** Every table's rows, as one digest per table: two databases with equal digests hold the same data. */
async function digests(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows: tables } = await c.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`,
    );
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const { rows } = await c.query<{ d: string }>(
        `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS d FROM "${name}" t`,
      );
      out[name] = rows[0].d;
    }
    return out;
  } finally {
    await c.end();
  }
}

describe("REL-4: backup and restore", () => {
  it("REL-4: a backup taken under load restores into a fresh database that passes the REL-1 invariants; one taken at rest restores row for row", async () => {
    const now = await testClock(t.db).now();
    const ctx = ctxOf(t.db, t.url);
    const subscribers = await Promise.all(Array.from({ length: 3 }, () => subscriberWithKey(t.db, now, "lite")));
    // Load: sign-ups that subscribe and pay, credit grants, top-ups and quota decisions, while the backup runs.
    let running = true;
    let operations = 0;
    const load = Array.from({ length: 3 }, async (_, i) => {
      while (running) {
        const s = subscribers[i];
        await Promise.all([
          giveCredits(t.db, s.userId, 150n, now),
          giveCash(t.db, s.port, s.userId, 500n, now),
          ask(ctx, s.secret, now),
          subscriberWithKey(t.db, now, "lite"),
        ]);
        operations += 4;
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    const underLoad = path.join(dir, "under-load.backup.gz");
    const backup = await run("db-backup", [underLoad]);
    running = false;
    await Promise.all(load);
    expect(backup.status, backup.out).toBe(0);
    expect(backup.out).toMatch(/db:backup: \d+ rows of \d+ tables/);
    expect(operations).toBeGreaterThan(0);

    const copy = await restoreCopy(underLoad);
    const violations = await checkInvariants(copy);
    expect(violations, describeViolations(violations)).toEqual([]);
    const c = new pg.Client({ connectionString: copy });
    await c.connect();
    const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_transactions`);
    await c.end();
    expect(rows[0].n).toBeGreaterThan(0);

    // At rest, the copy is the database, table for table, row for row.
    const atRest = path.join(dir, "at-rest.backup.gz");
    expect((await run("db-backup", [atRest])).status).toBe(0);
    const exact = await restoreCopy(atRest);
    expect(await digests(exact)).toEqual(await digests(t.url));
  }, 180_000);

  it("REL-4: a restore into a database that already holds data is refused and changes nothing; a damaged file is refused", async () => {
    const file = path.join(dir, "again.backup.gz");
    expect((await run("db-backup", [file])).status).toBe(0);
    const before = await digests(t.url);
    const into = await run("db-restore", [file]);
    expect(into.status).toBe(1);
    expect(into.out).toMatch(/already holds tables/);
    expect(await digests(t.url)).toEqual(before);

    const damaged = path.join(dir, "damaged.backup.gz");
    spawnSync("sh", ["-c", `head -c 2000 '${file}' > '${damaged}'`]);
    const name = `copy_${Math.random().toString(36).slice(2, 10)}`;
    copies.push(name);
    const r = await run("db-restore", [damaged, "--database", name]);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/db:restore: /);
    expect(r.out).not.toMatch(/\n\s+at /);
  }, 120_000);
});
