/**
 * Benchmark (issue 20, item 6): quota decisions under skewed load, as ledger
 * benchmarks measure hot accounts. 1,000 Lite subscribers (80 prompts per 5
 * hours) with one key each; each request's key is drawn from a Zipf
 * distribution (s = 1.0, then s = 2.0, each over its own fresh subscribers),
 * so a few keys take most calls and run far past their limits while the tail
 * stays under. Posts consume decisions to the decision server as `npm start`
 * runs it in production; prints decisions/s, p50/p99, how many were allowed
 * and refused, and the over-admission read back from the database (prompts
 * recorded per subscription above its 5-hour limit: must be 0), then
 * pgbench's simple-update on the same Postgres for comparison.
 *   npx tsx tests/bench/quota-skew.ts [seconds=20] [connections=50]
 * Needs wrk and pgbench (apt-get install wrk postgresql-client). Its own port, data folder and Postgres.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { openPostgresServer } from "../../lib/db/server";
import { spawnDecisionServer, stopDecisionServer } from "./decision-server";
import { freshBenchDatabase } from "./fresh-database";
import { waitForAnswer } from "./wait-for-answer";
import { postLoad, useWrk } from "./load";
import { seedMaxSubscribers } from "./max-subscribers";
import { zipfRanks } from "./zipf";

const SECONDS = Number(process.argv[2] ?? 20);
const CONNECTIONS = Number(process.argv[3] ?? 50);
const KEYS = 1000;
const EXPONENTS = [1.0, 2.0];
const PORT = Number(process.env.BENCH_DECISION_PORT ?? 3302);
const DATA_DIR = path.join(".data", "bench-quota-skew");
const DB_NAME = "codeplan_bench_quota_skew";
const SECRET = randomBytes(32).toString("hex");

mkdirSync(DATA_DIR, { recursive: true });
const server = await openPostgresServer({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: path.join(process.cwd(), DATA_DIR, "pg"),
  port: Number(process.env.BENCH_QUOTA_PG_PORT ?? 54345),
});
let decisions: ReturnType<typeof spawn> | undefined;
try {
  // On a busy machine the catalog sync can outlive its transaction's 5 s: it starts again from nothing.
  const fresh = () => freshBenchDatabase(server, DB_NAME);
  const { url, db } = await fresh().catch(fresh).catch(fresh);
  await db.$disconnect();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  c.on("error", () => {});
  const now = new Date();
  const keySets = new Map<number, string[]>();
  for (const s of EXPONENTS) keySets.set(s, await seedMaxSubscribers(c, `skew${s}-`, KEYS, now, "lite"));
  const warm = await seedMaxSubscribers(c, "skew-warm-", KEYS, now, "max");
  await c.query("ANALYZE");

  decisions = spawnDecisionServer({ port: PORT, databaseUrl: url, secret: SECRET });
  await waitForAnswer(`http://127.0.0.1:${PORT}/health`, [decisions]);
  const headers = { authorization: `Bearer ${SECRET}`, "content-type": "application/json" };
  const run = (secrets: string[], seconds: number) => {
    // consume.lua picks a line at random: a file holding the Zipf draws makes its picks Zipf-distributed.
    const file = path.join(DATA_DIR, "keys.txt");
    writeFileSync(file, secrets.join("\n"));
    return postLoad({
      url: `http://127.0.0.1:${PORT}/api/gateway/v1/consume`,
      connections: CONNECTIONS,
      seconds,
      headers,
      wrkScript: "tests/bench/quota/consume.lua",
      env: { BENCH_KEYS_FILE: file, BENCH_RUN: randomUUID() },
      request: () => ({
        body: JSON.stringify({
          key: secrets[Math.floor(Math.random() * secrets.length)],
          model: "glm-4.7",
          kind: "prompt",
          requestId: randomUUID(),
        }),
      }),
    });
  };
  // Warm-up on Max keys (the key cache, prepared statements, the JIT), uniform.
  await run(warm, 3);
  await c.query("ANALYZE");
  console.log(
    `skewed consume decisions: ${CONNECTIONS} connections, ${KEYS} Lite keys (80 prompts / 5 h), ${SECONDS} s each (load from ${useWrk ? "wrk" : "autocannon"})`,
  );
  const rows: string[] = [];
  for (const s of EXPONENTS) {
    const secrets = keySets.get(s)!;
    const draws = zipfRanks(KEYS, s, 200_000, 42).map((k) => secrets[k]);
    const hottest = draws.filter((d) => d === secrets[0]).length / draws.length;
    const r = await run(draws, SECONDS);
    // Over-admission, from the database: prompts recorded per subscription beyond its plan's 5-hour limit (the run fits in one window).
    const {
      rows: [q],
    } = await c.query(
      `SELECT COALESCE(SUM(n), 0)::int AS allowed, COUNT(*) FILTER (WHERE n >= lim)::int AS at_limit,
              COALESCE(SUM(GREATEST(n - lim, 0)), 0)::int AS over, COALESCE(MAX(n - lim), 0)::int AS worst
       FROM (SELECT u."subscription_id", SUM(u."units") AS n, MAX(v."prompts_5h") AS lim FROM "quota_uses" u
             JOIN "subscriptions" s ON s."id" = u."subscription_id" JOIN "plan_versions" v ON v."id" = s."plan_version_id"
             JOIN "users" us ON us."id" = s."user_id" WHERE us."email" LIKE $1 AND u."pool" = 'prompt' GROUP BY 1) t`,
      [`skew${s}-%`],
    );
    const line = `s=${s.toFixed(1)}: ${(r.answered / SECONDS).toFixed(0)} decisions/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; hottest key ${(hottest * 100).toFixed(0)} % of calls; allowed ${q.allowed}, refused ${r.answered - q.allowed}, failed ${r.failed}; subscriptions at their limit ${q.at_limit}; over-admission ${q.over} (must be 0)`;
    console.log(line);
    rows.push(line);
    if (q.over !== 0) process.exitCode = 1;
  }
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
  if (init.error)
    console.log("pgbench is not installed (apt-get install postgresql-client): no ceiling to compare with");
  else {
    const bench = spawnSync(
      "pgbench",
      ["-b", "simple-update", "-c", String(CONNECTIONS), "-j", "2", "-T", String(SECONDS), "-n"],
      { env: pgbenchEnv, encoding: "utf8" },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(bench.stdout)?.[1] ?? NaN);
    console.log(
      `pgbench simple-update, ${CONNECTIONS} clients, same Postgres: ${tps.toFixed(0)} tps (latency average ${/latency average = ([\d.]+) ms/.exec(bench.stdout)?.[1]} ms)`,
    );
  }
  await c.end();
} finally {
  await stopDecisionServer(decisions);
  await server.stop();
}
