/**
 * `npm start`: validates settings, starts the embedded PostgreSQL when
 * DATABASE_URL is unset, applies migrations, seeds demo data (outside
 * production), builds when sources changed and serves the app. Ctrl-C or
 * SIGTERM stops Next and then Postgres, cleanly. Without Stripe keys (outside
 * production) it also runs the local Stripe-compatible server
 * (scripts/stripe-local), which delivers signed webhooks to the app.
 *   --dev    next dev (hot reload) instead of a production build
 *   --fresh  wipe the data directory first (end-to-end tests)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ConfigError, parseEnv, type Env } from "../lib/config/env";
import { DEMO_BANNER, startMode } from "../lib/config/start-mode";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { readCatalogFile } from "../lib/billing/catalog-file";
import { syncCatalog } from "../lib/composition/catalog-sync";
import { createDb } from "../lib/db/client";
import { describeModelServers, modelServersOf } from "../lib/gateway/model-servers";
import { testClock } from "../lib/clock/clock";
import { DEMO_ADMIN, seedDemoData } from "../prisma/seed";
import { buildFingerprint, isBuildCurrent, markBuilt } from "./lib/build-stamp";
import { startStripeLocal } from "./stripe-local";

const args = new Set(process.argv.slice(2));
const log = (msg: string) => console.log(`codeplan: ${msg}`);

let config: Env;
try {
  config = parseEnv(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
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
let child: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let decisions: ChildProcess | undefined;
let stopping = false;

async function stopChild(proc: ChildProcess | undefined) {
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (proc.exitCode === null) proc.kill("SIGKILL");
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all([stopChild(child), stopChild(worker), stopChild(decisions)]);
  for (const c of cleanups.reverse()) await c().catch((e) => console.error(`codeplan: cleanup failed: ${e}`));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function database(): Promise<string> {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: config.EMBEDDED_PG_PORT, log });
  cleanups.push(server.stop);
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'codeplan'");
  if (exists.rowCount === 0) await admin.query("CREATE DATABASE codeplan");
  await admin.end();
  log(`embedded PostgreSQL on 127.0.0.1:${config.EMBEDDED_PG_PORT} (data in ${path.relative(process.cwd(), dataDir)}/pg)`);
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

  const port = String(config.PORT);
  const env = {
    ...process.env,
    ...(await stripeEnv(port)),
    DATABASE_URL: databaseUrl,
    APP_ENV: config.APP_ENV,
    NEXTAUTH_SECRET: authSecret(),
    GATEWAY_SECRET: gatewaySecret(),
    NEXTAUTH_URL: config.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
    // The worker started below processes stored Stripe events; the web process only verifies and stores them.
    WEBHOOK_EVENTS_BY_WORKER: "1",
    // ALERT-1: the demo's webhook receivers run on this machine, so outside production they may be private addresses.
    ALERT_WEBHOOK_ALLOW_PRIVATE: process.env.ALERT_WEBHOOK_ALLOW_PRIVATE || (config.APP_ENV === "production" ? "0" : "1"),
  };
  const next = path.join("node_modules", ".bin", "next");
  const tsx = path.join("node_modules", ".bin", "tsx");
  // The app is served by scripts/web-server.ts (Next's handler behind our own server, SEC-2), not `next start`.
  if (args.has("--dev")) {
    child = spawn(tsx, ["scripts/web-server.ts", "--dev"], { stdio: "inherit", env: { ...env, PORT: port, NODE_ENV: "development" } });
  } else {
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
    child = spawn(tsx, ["scripts/web-server.ts"], { stdio: "inherit", env: { ...env, PORT: port, NODE_ENV: "production" } });
  }
  // The job worker (renewals, expiries) runs beside the app, on the same database.
  worker = spawn(tsx, ["scripts/worker.ts"], { stdio: "inherit", env });
  worker.on("exit", (code) => {
    if (!stopping) console.error(`codeplan: the job worker stopped (exit ${code}); stopping the app`);
    void shutdown(code || 1);
  });
  // The gateway's decision API on its own port, without Next (lib/gateway/decision-server.ts).
  decisions = spawn(tsx, ["scripts/decision-server.ts"], { stdio: "inherit", env });
  decisions.on("exit", (code) => {
    if (!stopping) console.error(`codeplan: the decision server stopped (exit ${code}); stopping the app`);
    void shutdown(code || 1);
  });
  // GATE-2: say which model server answers each wire; in production without one, that the model endpoints answer 503.
  log(describeModelServers(modelServersOf(config)));
  log(`CodePlan at http://localhost:${port} (gateway decision API and model routes also on port ${config.DECISION_PORT})`);
  child.on("exit", (code) => void shutdown(code ?? 0));
}

main().catch((e) => {
  console.error(`codeplan: ${e instanceof Error ? e.message : e}`);
  void shutdown(1);
});
