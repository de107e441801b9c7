/**
 * Benchmark (issue 18): what the gateway's two statements per call cost
 * Postgres when each call is alone in its batch, as at 10 connections: a new
 * prompt (`gateway_admit`, then the usage report that frees its slot) and a
 * continuation (the same with the tool result of the key's set-up prompt),
 * against `SELECT 1` through the same client in the same run (the floor: a
 * round trip and a commit). One connection, one statement at a time, through
 * the batchers the gateway uses; Postgres CPU read from /proc. Each phase also
 * names the tables it read whole (a plan gone wrong).
 *   npx tsx tests/bench/admit-statements.ts [calls=5000]
 */
import path from "node:path";
import pg from "pg";
import { AdmitBatcher } from "../../lib/quota/admit";
import { ReportBatcher, type ReportItem } from "../../lib/quota/call-batchers";
import { openPostgresServer } from "../../lib/db/server";
import { freshBenchDatabase } from "./fresh-database";
import { seedMaxSubscribers } from "./max-subscribers";
import { postmasterPid, treeCpuMs } from "./process-cpu";

const CALLS = Number(process.argv[2] ?? 5000);
const KEYS = 1000;
const pgDataDir = path.join(process.cwd(), ".data", "bench-admit", "pg");
const server = await openPostgresServer({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: pgDataDir,
  port: Number(process.env.BENCH_ADMIT_PG_PORT ?? 54349),
});
try {
  const { url, db } = await freshBenchDatabase(server, "codeplan_bench_admit");
  await db.$disconnect();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const now = new Date();
  await seedMaxSubscribers(c, "admit", KEYS, now);
  const { rows: subs } = await c.query<{ sub: string; updated: Date; key: string; mm: number }>(
    `SELECT s.id AS sub, s.updated_at AS updated, k.id AS key, v.mcp_monthly AS mm
       FROM subscriptions s JOIN api_keys k ON k.user_id = s.user_id JOIN plan_versions v ON v.id = s.plan_version_id ORDER BY s.id`,
  );
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const admissions = new AdmitBatcher(pool, 1);
  const reports = new ReportBatcher(pool, 1);
  const postmaster = server.embedded ? postmasterPid(pgDataDir) : undefined;

  let n = 0;
  const at = () => new Date(now.getTime() + n * 10);
  const admit = (i: number, requestId: string, ids: string[]) =>
    admissions.submit({
      sub: subs[i].sub,
      subUpdated: subs[i].updated,
      key: subs[i].key,
      requestId,
      kind: "prompt",
      pool: "prompt",
      model: "glm-4.7",
      cost: 1,
      now: at(),
      limit5h: 1_000_000, // never reached: every call is allowed, so each pays the whole decision
      limitWeek: null,
      weekIndex: 0,
      weekStart: now,
      limitMonth: subs[i].mm,
      monthKey: 0,
      slots: 8,
      leaseUntil: new Date(at().getTime() + 600_000),
      toolResultIds: ids,
      since: new Date(now.getTime() - 1_800_000),
    });
  const report = (i: number, requestId: string, ids: string[]): Promise<boolean> =>
    reports.submit({
      sub: subs[i].sub,
      requestId,
      key: subs[i].key,
      model: "glm-4.7",
      tool: null,
      inputTokens: 100,
      outputTokens: 20,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      at: at(),
      client: "bench",
      network: null,
      agentShaped: true,
      clientId: null,
      device: null,
      toolCallIds: ids,
      slotOf: subs[i].sub,
    } satisfies ReportItem);

  // Each key's first prompt hands out a tool call that its continuations answer.
  for (let i = 0; i < KEYS; i++) {
    await admit(i, `setup-${i}`, []);
    await report(i, `setup-${i}`, [`call_${i}`]);
  }

  // Tables read whole during a phase (statistics are flushed by the backend within a second of its last statement).
  const seqScans = async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const { rows } = await c.query<{ relname: string; n: string }>(
      `SELECT relname, seq_scan AS n FROM pg_stat_user_tables WHERE seq_scan > 0`,
    );
    return new Map(rows.map((r) => [r.relname, Number(r.n)]));
  };
  const measure = async (what: string, step: (k: number) => Promise<unknown>) => {
    const before = await seqScans();
    const cpu0 = treeCpuMs(postmaster);
    const t0 = performance.now();
    for (let k = 0; k < CALLS; k++, n++) await step(k);
    const wall = (performance.now() - t0) / CALLS;
    const cpu = (treeCpuMs(postmaster) - cpu0) / CALLS;
    const after = await seqScans();
    const scanned = [...after]
      .filter(([t, x]) => x - (before.get(t) ?? 0) > CALLS / 10)
      .map(([t, x]) => `${t} ${x - (before.get(t) ?? 0)}`);
    console.log(
      `| ${what} | ${wall.toFixed(3)} ms | ${postmaster ? cpu.toFixed(3) : "?"} ms | ${scanned.join(", ") || "none"} |`,
    );
  };
  console.log(
    `| statement, one at a time (${CALLS} each) | wall | Postgres CPU | tables read whole |\n| --- | --- | --- | --- |`,
  );
  let r = 0;
  const newPrompt = async (k: number) => {
    const id = `new-${r++}`;
    await admit(k % KEYS, id, []);
    await report(k % KEYS, id, [`call_${k % KEYS}`]);
  };
  const continuation = async (k: number) => {
    const id = `cont-${r++}`;
    await admit(k % KEYS, id, [`call_${k % KEYS}`]);
    await report(k % KEYS, id, []);
  };
  // Warm-up (plans cached, the generic ones chosen), then the statistics of a database that has run a while.
  for (let k = 0; k < 1000; k++, n++) await (k % 2 ? continuation(k) : newPrompt(k));
  await c.query("ANALYZE");
  await measure("SELECT 1 (a round trip and its commit)", () => pool.query({ name: "one", text: "SELECT 1" }));
  await measure("a new prompt: gateway_admit, then its report freeing the slot", newPrompt);
  await measure("a continuation: gateway_admit, then its report freeing the slot", continuation);
  const { rows } = await c.query<{ n: string }>("SELECT count(*) AS n FROM quota_slots");
  console.log(`slots left: ${rows[0].n} (must be 0)`);
  if (rows[0].n !== "0") process.exitCode = 1;
  await pool.end();
  await c.end();
} finally {
  await server.stop();
}
