/**
 * Benchmark (issue 6): quota decisions, the gateway's hot path. 1,000
 * subscribers with one key each; 50 concurrent keep-alive connections post
 * consume decisions (a random key and a fresh request id each) to the
 * decision server as `npm start` runs it in production. Prints decisions per
 * second and p50/p99 latency, then pgbench's built-in simple-update
 * transactions per second on the same Postgres, as the ceiling, and the
 * ratio. Targets on 2 cores: ≥ 2,000 decisions/s, p99 ≤ 25 ms, ratio ≥ 0.5.
 *   npx tsx tests/bench/quota.ts [seconds=20] [connections=50] [key-limits]
 * With `key-limits`, half of the keys get their own limits (KEY-1: 1,000
 * prompts per 5 hours and 5,000 a week, tighter than Max's, never reached in
 * a run), so their decisions also read the key's own use in quota_consume.
 * Needs pgbench (Debian: apt-get install postgresql-client); uses wrk for the load when it is
 * installed (apt-get install wrk), autocannon otherwise. Its own port,
 * data folder and Postgres (BENCH_DATABASE_URL's server, or embedded).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { openPostgresServer } from "../../lib/db/server";
import { spawnDecisionServer, stopDecisionServer } from "./decision-server";
import { freshBenchDatabase } from "./fresh-database";
import { seedMaxSubscribers } from "./max-subscribers";
import { waitForAnswer } from "./wait-for-answer";
import { postLoad, useWrk, type Load } from "./load";

const SECONDS = Number(process.argv[2] ?? 20);
const CONNECTIONS = Number(process.argv[3] ?? 50);
const KEYS = 1000;
const KEY_LIMITS = process.argv[4] === "key-limits";
const PORT = Number(process.env.BENCH_DECISION_PORT ?? 3301);
const DB_NAME = "codeplan_bench_quota";
const SECRET = randomBytes(32).toString("hex");

const server = await openPostgresServer({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: path.join(process.cwd(), ".data", "bench-quota", "pg"),
  port: Number(process.env.BENCH_QUOTA_PG_PORT ?? 54344),
});
let decisions: ReturnType<typeof spawn> | undefined;
try {
  const { url, db } = await freshBenchDatabase(server, DB_NAME);
  await db.$disconnect();

  const c = new pg.Client({ connectionString: url });
  await c.connect();
  c.on("error", () => {});
  const now = new Date();
  const secrets = await seedMaxSubscribers(c, "quota", KEYS, now);
  if (KEY_LIMITS) {
    const limited = await c.query(
      `UPDATE "api_keys" SET "limit_5h" = 1000, "limit_week" = 5000 WHERE "id" IN (SELECT "id" FROM "api_keys" ORDER BY "id" LIMIT $1)`,
      [KEYS / 2],
    );
    console.log(`KEY-1: ${limited.rowCount} of ${KEYS} keys have their own limits`);
  }
  await c.query("ANALYZE");

  console.log(`starting the decision server on :${PORT} (APP_ENV=production)…`);
  // BENCH_PROFILE=1 writes a CPU profile of the decision server to .data/bench-quota/prof.
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=.data/bench-quota/prof"] : [];
  decisions = spawnDecisionServer({ port: PORT, databaseUrl: url, secret: SECRET, flags: profile });
  await waitForAnswer(`http://127.0.0.1:${PORT}/health`, [decisions]);

  const headers = { authorization: `Bearer ${SECRET}`, "content-type": "application/json" };
  const keysFile = path.join(".data", "bench-quota", "keys.txt");
  writeFileSync(keysFile, secrets.join("\n"));
  const run = (seconds: number): Promise<Load> =>
    postLoad({
      url: `http://127.0.0.1:${PORT}/api/gateway/v1/consume`,
      connections: CONNECTIONS,
      seconds,
      headers,
      wrkScript: "tests/bench/quota/consume.lua",
      env: { BENCH_KEYS_FILE: keysFile, BENCH_RUN: randomUUID() },
      request: () => ({
        body: JSON.stringify({
          key: secrets[Math.floor(Math.random() * KEYS)],
          model: "glm-4.7",
          kind: "prompt",
          requestId: randomUUID(),
        }),
      }),
    });
  // Warm-up: the key cache, prepared statements, the JIT.
  await run(3);
  // The statistics a running database has: its tables were empty when the run began, and autovacuum
  // analyses at most once a minute, so a short run would otherwise be measured on plans made for empty tables.
  await c.query("ANALYZE");
  const before = Number((await c.query("SELECT count(*) FROM quota_uses")).rows[0].count);
  console.log(
    `consume decisions: ${CONNECTIONS} connections over ${KEYS} keys for ${SECONDS} s (load from ${useWrk ? "wrk" : "autocannon"})…`,
  );
  const result = await run(SECONDS);
  const perSecond = result.answered / SECONDS;
  const recorded = Number((await c.query("SELECT count(*) FROM quota_uses")).rows[0].count) - before;
  console.log(`decisions: ${result.answered} in ${SECONDS} s → ${perSecond.toFixed(0)} decisions/s (target ≥ 2000)`);
  console.log(`latency: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms (target p99 ≤ 25 ms)`);
  console.log(`failed answers: ${result.failed}; consumptions recorded: ${recorded}`);

  const pgUrl = new URL(url);
  const pgbenchEnv = {
    ...process.env,
    PGHOST: pgUrl.hostname,
    PGPORT: pgUrl.port,
    PGUSER: decodeURIComponent(pgUrl.username),
    PGPASSWORD: decodeURIComponent(pgUrl.password),
    PGDATABASE: DB_NAME,
  };
  const init = spawnSync("pgbench", ["-i", "-q", "-s", "10"], { env: pgbenchEnv, encoding: "utf8" });
  if (init.error) {
    console.log("pgbench is not installed (apt-get install postgresql-client): no ceiling to compare with");
  } else {
    const bench = spawnSync(
      "pgbench",
      ["-b", "simple-update", "-c", String(CONNECTIONS), "-j", "2", "-T", String(SECONDS), "-n"],
      { env: pgbenchEnv, encoding: "utf8" },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(bench.stdout)?.[1] ?? NaN);
    const avg = /latency average = ([\d.]+) ms/.exec(bench.stdout)?.[1];
    console.log(
      `pgbench simple-update, ${CONNECTIONS} clients, same database: ${tps.toFixed(0)} tps (latency average ${avg} ms)`,
    );
    console.log(`ratio decisions/s ÷ pgbench tps: ${(perSecond / tps).toFixed(2)} (target ≥ 0.5)`);
  }
  await c.end();
} finally {
  await stopDecisionServer(decisions);
  await server.stop();
}
