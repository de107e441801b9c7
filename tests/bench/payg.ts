/**
 * Benchmark (issue 8): settled pay-as-you-go calls per second. 1,000 users
 * with one API key and a cash balance each; 50 concurrent keep-alive callers
 * post chat completions to POST /api/paas/v4/chat/completions on the
 * production build (`npm start`: next build + next start, APP_ENV=production,
 * the local responder as the model). Each call holds its worst-case fee,
 * gets its answer and is settled before it is answered, so an answered call
 * is a settled one. Prints settled calls per second and p50/p99 latency, and
 * checks the money: one api_calls row per answered call, no hold left, and
 * the cash taken equal to the fees recorded. Target: ≥ 1,000 calls/s at 50
 * callers on 2 cores.
 *   npx tsx tests/bench/payg.ts [seconds=20] [connections=50] [decision|app]
 * Uses wrk for the load when it is installed (apt-get install wrk),
 * autocannon otherwise. Its own port, data and build folders and Postgres.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { openPostgresServer } from "../../lib/db/server";
import { hashKey } from "../../lib/quota/subjects";
import { freshBenchDatabase } from "./fresh-database";
import { postLoad, useWrk } from "./load";
import { startProductionApp } from "./production-app";

const SECONDS = Number(process.argv[2] ?? 20);
const CONNECTIONS = Number(process.argv[3] ?? 50);
const TARGET = process.argv[4] === "app" ? "app" : "decision";
const USERS = 1000;
const CASH = 10_000_000n;
const PORT = Number(process.env.BENCH_APP_PORT ?? 3210);
const DATA_DIR = path.join(".data", "bench-payg");
const DB_NAME = "codeplan_bench_payg";
// About 5,000 prompt tokens on GLM-5 (USD 1.00 per million in): each call costs a cent, so each one moves money.
const CHAT = {
  model: "glm-5",
  max_tokens: 200,
  messages: [
    { role: "system", content: "You are a coding agent." },
    { role: "user", content: `Review this file:\n${"const x = 1;\n".repeat(1538)}` },
  ],
};

const server = await openPostgresServer({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: path.join(process.cwd(), DATA_DIR, "pg"),
  port: Number(process.env.BENCH_PAYG_PG_PORT ?? 54346),
});
let app: ChildProcess | undefined;
try {
  const { url, db } = await freshBenchDatabase(server, DB_NAME);
  await db.$disconnect();
  const secrets = Array.from({ length: USERS }, () => `cp_${randomBytes(24).toString("base64url")}`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  c.on("error", () => {});
  const now = new Date();
  // Users, keys, and their cash as a real posting from payments clearing (the balance trigger keeps it).
  await c.query(
    `WITH k AS (SELECT ordinality AS i, hash FROM unnest($2::text[]) WITH ORDINALITY AS t(hash))
     , u AS (INSERT INTO users (id, email, created_at, updated_at) SELECT gen_random_uuid(), 'payg' || i || '@example.test', $1, $1 FROM k RETURNING id, email)
     INSERT INTO api_keys (id, user_id, name, prefix, hash, created_at)
     SELECT gen_random_uuid(), u.id, 'bench', 'cp_bench', k.hash, $1 FROM u JOIN k ON u.email = 'payg' || k.i || '@example.test'`,
    [now, secrets.map(hashKey)],
  );
  await c.query("BEGIN");
  await c.query(
    `INSERT INTO ledger_accounts (id, kind, currency, created_at) VALUES (gen_random_uuid(), 'payments_clearing', 'USD', $1) ON CONFLICT DO NOTHING`,
    [now],
  );
  await c.query(
    `INSERT INTO ledger_accounts (id, kind, user_id, currency, created_at) SELECT gen_random_uuid(), 'user_cash', id, 'USD', $1 FROM users`,
    [now],
  );
  await c.query(
    `INSERT INTO ledger_transactions (id, idempotency_key, kind, user_id, created_at) SELECT gen_random_uuid(), 'bench:' || id, 'bench_cash', id, $1 FROM users`,
    [now],
  );
  await c.query(
    `INSERT INTO ledger_entries (transaction_id, account_id, amount_minor)
     SELECT t.id, a.id, $1::bigint FROM ledger_transactions t JOIN ledger_accounts a ON a.user_id = t.user_id AND a.kind = 'user_cash' WHERE t.kind = 'bench_cash'
     UNION ALL
     SELECT t.id, (SELECT id FROM ledger_accounts WHERE kind = 'payments_clearing' AND currency = 'USD'), -$1::bigint FROM ledger_transactions t WHERE t.kind = 'bench_cash'`,
    [CASH.toString()],
  );
  await c.query("COMMIT");
  await c.query("ANALYZE");
  const cashLeft = async () =>
    BigInt(
      (await c.query(`SELECT sum(balance_minor)::text AS s FROM ledger_accounts WHERE kind = 'user_cash'`)).rows[0].s,
    );
  const cashBefore = await cashLeft();

  console.log(`starting the production build on :${PORT} (first run builds it)…`);
  app = await startProductionApp({ port: PORT, databaseUrl: url, dataDir: DATA_DIR, env: { UPSTREAM_OPENAI_URL: "" } });

  mkdirSync(DATA_DIR, { recursive: true });
  const keysFile = path.join(DATA_DIR, "keys.txt");
  writeFileSync(keysFile, secrets.join("\n"));
  const body = JSON.stringify(CHAT);
  const run = (seconds: number) =>
    postLoad({
      url: `http://127.0.0.1:${TARGET === "app" ? PORT : PORT + 1}/api/paas/v4/chat/completions`,
      connections: CONNECTIONS,
      seconds,
      wrkScript: "tests/bench/quota/payg.lua",
      env: { BENCH_KEYS_FILE: keysFile, BENCH_BODY: body },
      request: () => ({
        body,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${secrets[Math.floor(Math.random() * USERS)]}`,
        },
      }),
    });
  await run(3); // warm-up: caches, prepared statements, the JIT
  // The statistics a running database has: its tables were empty when the run began, and autovacuum
  // analyses at most once a minute, so a short run would otherwise be measured on plans made for empty tables.
  await c.query("ANALYZE");
  const count = async (sql: string) => Number((await c.query<{ n: string }>(sql)).rows[0].n);
  const callsBefore = await count(`SELECT count(*) AS n FROM api_calls`);
  const feesBefore = BigInt((await c.query(`SELECT COALESCE(sum(fee_minor), 0)::text AS s FROM api_calls`)).rows[0].s);
  console.log(
    `pay-as-you-go calls on the ${TARGET === "app" ? "app's port (Next)" : "decision server"}: ${CONNECTIONS} callers over ${USERS} keys for ${SECONDS} s (load from ${useWrk ? "wrk" : "autocannon"})…`,
  );
  const r = await run(SECONDS);
  // Calls still in flight when the load stopped finish on their own: wait for their holds to go.
  for (let i = 0; i < 100 && (await count(`SELECT count(*) AS n FROM api_holds`)) > 0; i++)
    await new Promise((res) => setTimeout(res, 100));
  const settled = (await count(`SELECT count(*) AS n FROM api_calls`)) - callsBefore;
  const held = await count(`SELECT count(*) AS n FROM api_holds`);
  const fees = BigInt((await c.query(`SELECT COALESCE(sum(fee_minor), 0)::text AS s FROM api_calls`)).rows[0].s);
  const uncollected = await count(`SELECT COALESCE(sum(uncollected_minor), 0) AS n FROM api_calls`);
  const taken = cashBefore - (await cashLeft());
  // Answered within the window (each answered call was settled before its answer); the few in flight at the end settle after it.
  console.log(
    `settled calls: ${r.answered - r.failed} answered in ${SECONDS} s → ${((r.answered - r.failed) / SECONDS).toFixed(0)} calls/s (target ≥ 1000); ${settled} settled in all`,
  );
  console.log(
    `latency: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; answers ${r.answered}, failed ${r.failed}`,
  );
  const ok = held === 0 && uncollected === 0 && taken === fees && fees > feesBefore && settled >= r.answered - r.failed;
  console.log(
    `check: holds left ${held}, uncollected ${uncollected}, cash taken ${taken} = fees recorded ${fees} (${feesBefore} in the warm-up): ${ok ? "exact" : "MISMATCH"}`,
  );
  if (!ok) process.exitCode = 1;
  await c.end();
} finally {
  app?.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 1000));
  await server.stop();
}
