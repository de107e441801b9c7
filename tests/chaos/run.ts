/**
 * REL-1, the fault-injection run: CodePlan started as production runs it
 * (embedded Postgres on its own data folder, the web app from a `next build`
 * behind scripts/web-server.ts, the decision server, the job worker; the
 * local Stripe server as the processor, behind a proxy that delivers its
 * webhooks late, twice and out of order), under mixed load, while a random
 * process is killed with SIGKILL at random moments and restarted. Then it
 * drains and checks the invariants (tests/chaos/invariants.ts), prints the
 * table and exits 1 on any violation.
 *   npm run chaos -- --seconds 120 --seed 42 [--fault-every 8] [--json FILE]
 * Ports: PORT (web), DECISION_PORT, EMBEDDED_PG_PORT, STRIPE_LOCAL_PORT, and
 * CHAOS_PORT..CHAOS_PORT+2 (actions, webhook proxy, model stub).
 * The APP_ENV is "test": the movable clock is a demo surface (SEC-4), and
 * renewals need it to move; everything else runs as in production.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { readCatalogFile } from "../../lib/billing/catalog-file";
import { syncCatalog } from "../../lib/composition/catalog-sync";
import { createDb } from "../../lib/db/client";
import { applyMigrations } from "../../lib/db/migrate";
import { startStripeLocal } from "../../scripts/stripe-local";
import type { State } from "../../scripts/stripe-local/state";
import { buildFingerprint, isBuildCurrent, markBuilt } from "../../scripts/lib/build-stamp";
import { startDeliveryProxy } from "./delivery-proxy";
import { installQuotaLog, runChecks } from "./invariants";
import * as op from "./operations";
import { supervisePostgres } from "./postgres";
import { seeded } from "./prng";
import { printReport } from "./report";
import { killAllChildren, superviseNode, waitFor, type Supervised } from "./supervisor";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "120" },
    seed: { type: "string", default: "42" },
    "fault-every": { type: "string", default: "8" },
    json: { type: "string" },
  },
});
const SECONDS = Number(args.seconds);
const SEED = Number(args.seed);
const FAULT_EVERY_MS = Number(args["fault-every"]) * 1000;
const WEB_PORT = Number(process.env.PORT ?? 3320);
const DECISION_PORT = Number(process.env.DECISION_PORT ?? WEB_PORT + 1);
const PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54423);
const STRIPE_PORT = Number(process.env.STRIPE_LOCAL_PORT ?? 54424);
const CHAOS_PORT = Number(process.env.CHAOS_PORT ?? 3322);
const DATA = path.resolve(".data", "chaos");
const DIST = ".next-chaos";
const log = (line: string) => console.log(`chaos: ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// However the run ends, nothing it started stays on its ports (Postgres is asked to stop by its own pid file).
process.on("exit", () => {
  killAllChildren();
  try {
    process.kill(Number(readFileSync(path.join(DATA, "pg", "postmaster.pid"), "utf8").split("\n")[0]), "SIGQUIT");
  } catch {
    /* not running */
  }
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

rmSync(DATA, { recursive: true, force: true });
mkdirSync(DATA, { recursive: true });

// The web app as production serves it: from a `next build` (skipped when the sources have not changed).
const fingerprint = buildFingerprint(["test"]);
if (!isBuildCurrent(DIST, fingerprint)) {
  log("building the app (next build)…");
  const build = spawnSync(path.join("node_modules", ".bin", "next"), ["build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_DIST_DIR: DIST, APP_ENV: "test", NODE_ENV: "production" },
  });
  if (build.status !== 0) throw new Error("next build failed");
  markBuilt(DIST, fingerprint);
}

const postgres = supervisePostgres(path.join(DATA, "pg"), PG_PORT);
await postgres.start();
{
  const admin = new pg.Client({ connectionString: postgres.url("postgres") });
  await admin.connect();
  await admin.query("CREATE DATABASE codeplan");
  await admin.end();
}
const databaseUrl = postgres.url("codeplan");
await applyMigrations(databaseUrl);
{
  const db = createDb(databaseUrl);
  // On a machine this busy, the sync's transaction can outlive Prisma's 5 s: it is idempotent, so try again.
  for (let i = 1; ; i++) {
    const ok = await syncCatalog(db, readCatalogFile(), new Date()).then(
      () => true,
      (e: unknown) => (i < 5 ? false : Promise.reject(e)),
    );
    if (ok) break;
  }
  await db.$disconnect();
}
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
pool.on("error", () => {});
{
  const c = await pool.connect();
  await installQuotaLog(c as unknown as pg.Client);
  c.release();
}
const adminId = (
  await pool.query(
    `INSERT INTO "users" ("id", "email", "role", "created_at", "updated_at") VALUES (gen_random_uuid(), 'admin@chaos.test', 'admin', now(), now()) RETURNING "id"`,
  )
).rows[0].id as string;

const rng = seeded(SEED);
const web = `http://127.0.0.1:${WEB_PORT}`;
const proxy = await startDeliveryProxy({
  port: CHAOS_PORT + 1,
  target: () => `${web}/api/stripe/webhook`,
  rng: seeded(SEED + 1),
});
const webhookSecret = `whsec_${randomBytes(24).toString("hex")}`;
const stripeFile = path.join(DATA, "stripe-local.json");
const stripe = await startStripeLocal({
  port: STRIPE_PORT,
  dataFile: stripeFile,
  webhookUrl: proxy.url,
  webhookSecret,
  retryBaseMs: 500,
  maxAttempts: 40,
});
const stub = spawn(process.execPath, ["--import", "tsx", "tests/bench/model-stub.ts"], {
  env: { ...process.env, STUB_PORT: String(CHAOS_PORT + 2) },
  stdio: "ignore",
});
process.on("exit", () => stub.kill("SIGKILL"));

const gatewaySecret = randomBytes(32).toString("hex");
const env: NodeJS.ProcessEnv = {
  ...process.env,
  APP_ENV: "test",
  NODE_ENV: "production",
  NEXT_DIST_DIR: DIST,
  DATABASE_URL: databaseUrl,
  PORT: String(WEB_PORT),
  DECISION_PORT: String(DECISION_PORT),
  NEXTAUTH_URL: `http://localhost:${WEB_PORT}`,
  NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
  GATEWAY_SECRET: gatewaySecret,
  STRIPE_LOCAL_URL: stripe.url,
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  WEBHOOK_EVENTS_BY_WORKER: "1",
  JOB_SWEEP_SECONDS: "1",
  JOB_TIMEOUT_SECONDS: "20",
  UPSTREAM_OPENAI_URL: `http://127.0.0.1:${CHAOS_PORT + 2}/v1`,
  CHAOS_ACTIONS_PORT: String(CHAOS_PORT),
  NEXT_TELEMETRY_DISABLED: "1",
};
for (const name of [
  "UPSTREAM_ANTHROPIC_URL",
  "UPSTREAM_ANTHROPIC_KEY",
  "UPSTREAM_MODEL_MAP",
  "SMTP_URL",
  "STRIPE_SECRET_KEY",
])
  delete env[name];
const ok = (url: string) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
const logFile = (name: string) => path.join(DATA, `${name}.log`);
const processes: Supervised[] = [
  postgres,
  superviseNode({
    name: "web",
    script: "scripts/web-server.ts",
    env,
    ready: ok(`${web}/api/health`),
    logFile: logFile("web"),
  }),
  superviseNode({
    name: "decision server",
    script: "scripts/decision-server.ts",
    env,
    ready: ok(`http://127.0.0.1:${DECISION_PORT}/health`),
    logFile: logFile("decisions"),
  }),
  superviseNode({
    name: "worker",
    script: "scripts/worker.ts",
    env,
    ready: async () => true,
    logFile: logFile("worker"),
  }),
  superviseNode({
    name: "actions",
    script: "tests/chaos/actions-server.ts",
    env,
    ready: ok(`http://127.0.0.1:${CHAOS_PORT}/health`),
    logFile: logFile("actions"),
  }),
];
log("starting web, decision server, worker and actions…");
await Promise.all(processes.slice(1).map((p) => p.start()));

const operations = new Map<string, Map<string, number>>();
const faults = new Map<string, number>();
const world: op.World = {
  actions: `http://127.0.0.1:${CHAOS_PORT}`,
  web,
  decisions: `http://127.0.0.1:${DECISION_PORT}`,
  stripe: stripe.url,
  gatewaySecret,
  db: pool,
  adminId,
  rng,
  users: [],
  hot: [],
  allowed: [],
  paid: [],
  record: (kind, outcome) => {
    const m = operations.get(kind) ?? new Map<string, number>();
    m.set(outcome, (m.get(outcome) ?? 0) + 1);
    operations.set(kind, m);
  },
};

log("signing up the first customers…");
while (world.users.length < 8) await op.signUp(world);
// Two hot subscribers on Lite (80 prompts in 5 hours): the hot consumers fill their windows to the limit.
world.hot.push(...world.users.slice(0, 2));
for (const u of world.hot) await op.subscribe(world, u, "lite");

const deadline = Date.now() + SECONDS * 1000;
const running = () => Date.now() < deadline;
const WEIGHTED: [number, (w: op.World) => Promise<void>][] = [
  [8, op.signUp],
  [14, op.subscribeOrUpgrade],
  [8, op.topUp],
  [5, op.refund],
  [25, op.codingLoop],
  [15, op.paygCall],
  [20, (w) => op.consume(w, w.rng.pick(w.users))],
];
const totalWeight = WEIGHTED.reduce((s, [n]) => s + n, 0);
async function customers(i: number) {
  const w = { ...world, rng: seeded(SEED * 100 + i) };
  while (running()) {
    let r = w.rng.int(totalWeight);
    const [, f] = WEIGHTED.find(([n]) => (r -= n) < 0)!;
    await f(w).catch((e: unknown) => world.record("harness", `error: ${e instanceof Error ? e.message : e}`));
  }
}
async function hotConsumers() {
  const w = { ...world, rng: seeded(SEED * 100 + 99) };
  while (running()) await op.consume(w, w.rng.pick(world.hot), "consume decision (hot)");
}
// The test clock moves on in jumps of one to three days, so subscriptions renew, windows reset and reviews fall due.
async function clock() {
  const c = seeded(SEED + 2);
  while (running()) {
    await sleep(4000 + c.int(8000));
    const ms = (1 + c.int(3)) * 86_400_000 + c.int(3_600_000);
    const moved = await pool
      .query(
        `INSERT INTO "test_clock" ("id", "offset_ms", "updated_at") VALUES (1, $1, now()) ON CONFLICT ("id") DO UPDATE SET "offset_ms" = "test_clock"."offset_ms" + $1, "updated_at" = now()`,
        [ms],
      )
      .then(
        () => "moved on",
        () => "not moved (database down)",
      );
    world.record("test clock", moved);
  }
}
async function chaos() {
  const c = seeded(SEED + 3);
  while (running()) {
    await sleep(FAULT_EVERY_MS / 2 + c.int(FAULT_EVERY_MS));
    if (!running()) break;
    const victim = c.pick(processes);
    // A process still restarting from the last fault is killed again: a crash loop is a fault too (Postgres excepted: it is mid-recovery).
    if (victim === postgres && !(await postgres.up())) continue;
    log(`SIGKILL ${victim.name}`);
    await victim.crash().catch((e: unknown) => log(`killing ${victim.name} failed: ${e}`));
    faults.set(victim.name, (faults.get(victim.name) ?? 0) + 1);
  }
}

log(`mixed load for ${SECONDS} s (seed ${SEED}), a SIGKILL every ~${FAULT_EVERY_MS / 1000} s…`);
await Promise.all([...Array.from({ length: 6 }, (_, i) => customers(i)), hotConsumers(), clock(), chaos()]);

log("draining: every process up, webhooks delivered, events processed, holds and leases run out…");
await waitFor("every process", async () => (await Promise.all(processes.map((p) => p.up()))).every(Boolean), 300_000);
const stripeState = () => JSON.parse(readFileSync(stripeFile, "utf8")) as State;
const quiet = async () => {
  await waitFor(
    "webhook deliveries",
    async () => stripeState().webhooks.pending.length === 0 && proxy.idle(),
    180_000,
  ).catch((e) => log(String(e)));
  await waitFor(
    "payment events",
    async () =>
      (await pool.query(`SELECT count(*)::int AS n FROM "payment_events" WHERE "status" <> 'processed'`)).rows[0].n ===
      0,
    90_000,
  ).catch((e) => log(String(e)));
};
await quiet();
// Past every lease and hold (15 minutes), then time for the worker's sweeps and pg-boss's expiry of a killed worker's jobs.
await pool.query(`UPDATE "test_clock" SET "offset_ms" = "offset_ms" + $1`, [2 * 3_600_000]);
await sleep(5000);
await waitFor(
  "job claims",
  async () =>
    (await pool.query(`SELECT count(*)::int AS n FROM "pgboss"."job" WHERE "state" = 'active'`)).rows[0].n === 0,
  90_000,
).catch((e) => log(String(e)));
await quiet();
await sleep(3000);

const state = stripeState();
const facts = {
  allowedRequestIds: world.allowed,
  paidInvoiceIds: world.paid,
  charges: Object.values(state.paymentIntents)
    .filter((p) => p.status === "succeeded")
    .map((p) => ({ id: p.id, amount: p.amount })),
  refunds: Object.values(state.refunds)
    .filter((r) => r.status === "succeeded")
    .map((r) => ({ id: r.id, amount: r.amount })),
  eventIds: state.events.map((e) => e.id),
};
const client = await pool.connect();
const checks = await runChecks(client as unknown as pg.Client, facts);
client.release();
const violated = printReport({ seconds: SECONDS, seed: SEED, operations, faults, deliveries: proxy.stats, checks });

// For scripts/test.ts: each invariant is a test that passed or failed.
if (args.json)
  writeFileSync(
    args.json,
    JSON.stringify({
      passed: checks.length - violated,
      failed: violated,
      skipped: 0,
      faults: Object.fromEntries(faults),
    }),
  );

await Promise.all(processes.slice(1).map((p) => p.stop()));
stub.kill("SIGTERM");
await stripe.stop();
await proxy.stop();
await pool.end();
await postgres.stop();
log(
  violated
    ? `${violated} invariant(s) violated (logs in ${path.relative(process.cwd(), DATA)})`
    : "every invariant holds",
);
process.exit(violated ? 1 : 0);
