/**
 * Benchmark (issue 5): 2,000 signed Stripe webhook events, 20 % of them
 * duplicates, posted by 16 concurrent senders to the production build's real
 * webhook route. Prints events per second and checks the effects happened
 * exactly once. Target: ≥ 300 events/s on 2 cores. The figure counts until
 * every effect is applied, not just until every delivery was answered.
 *   npx tsx tests/bench/webhooks.ts [events=2000] [senders=16] [ingress|app]
 * By default the events go to the lean ingress server that `npm start` runs
 * beside Next (the decision server's port, which serves the same webhook
 * handler without Next's pipeline, README "Stripe"); `app` posts them to the
 * Next app's port instead.
 * The app runs as `npm start` runs it in production (next build + next
 * start and the job worker, APP_ENV=production, Stripe keys set), on its own
 * port, data folder, build folder and a Postgres of its own
 * (BENCH_DATABASE_URL's server, or embedded). The events are signed with the
 * configured webhook secret, as Stripe signs them; none needs a Stripe call.
 * Each distinct event is a payment_intent.succeeded for its own open top-up
 * invoice, so "exactly once" is checkable: one settlement, one ledger posting
 * and one cash credit per invoice, however many times its event arrived.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { openPostgresServer } from "../../lib/db/server";
import { freshBenchDatabase } from "./fresh-database";
import { startProductionApp } from "./production-app";
import { signStripePayload } from "../../lib/payments/stripe";

const TOTAL = Number(process.argv[2] ?? 2000);
const SENDERS = Number(process.argv[3] ?? 16);
const DISTINCT = Math.round(TOTAL * 0.8);
const PORT = Number(process.env.BENCH_APP_PORT ?? 3200);
const TARGET = process.argv[4] === "app" ? "app" : "ingress";
// startProductionApp puts the decision server (the ingress) on the app's port + 1.
const POST_PORT = TARGET === "app" ? PORT : PORT + 1;
const DATA_DIR = path.join(".data", "bench-webhooks");
const DB_NAME = "codeplan_bench_webhooks";
const AMOUNT = 1000;
const SECRET = `whsec_bench_${randomBytes(16).toString("hex")}`;

const server = await openPostgresServer({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: path.join(process.cwd(), DATA_DIR, "pg"),
  port: Number(process.env.BENCH_PG_PORT ?? 54342),
});
let app: ChildProcess | undefined;
try {
  const { url, db } = await freshBenchDatabase(server, DB_NAME);

  // One open top-up invoice with a pending card payment per distinct event.
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  // The server stops in `finally`, perhaps under this connection: that is not worth a crash.
  c.on("error", () => {});
  const now = new Date();
  await c.query(
    `WITH u AS (
       INSERT INTO users (id, email, created_at, updated_at)
       SELECT gen_random_uuid(), 'hook' || i || '@example.test', $1, $1 FROM generate_series(1, $2::int) i RETURNING id, email)
     , i AS (
       INSERT INTO invoices (id, user_id, kind, status, currency, total_minor, card_minor, idempotency_key, created_at)
       SELECT gen_random_uuid(), u.id, 'top_up', 'open', 'USD', $3, $3, 'bench-top-up:' || u.email, $1 FROM u RETURNING id, idempotency_key)
     , l AS (
       INSERT INTO invoice_lines (invoice_id, kind, amount_minor)
       SELECT id, 'top_up'::"InvoiceLineKind", $3::bigint FROM i UNION ALL SELECT id, 'card_charged'::"InvoiceLineKind", -$3::bigint FROM i)
     INSERT INTO payments (id, invoice_id, provider, provider_payment_id, idempotency_key, amount_minor, currency, status, created_at, updated_at)
     SELECT gen_random_uuid(), i.id, 'stripe', 'pi_bench_' || substr(i.idempotency_key, 14), 'invoice:' || i.id, $3, 'USD', 'requires_action', $1, $1 FROM i`,
    [now, DISTINCT, AMOUNT],
  );
  const payments = (
    await c.query<{ key: string; pi: string }>(
      `SELECT idempotency_key AS key, provider_payment_id AS pi FROM payments ORDER BY provider_payment_id`,
    )
  ).rows;
  await c.query("ANALYZE");
  await db.$disconnect();

  console.log(`starting the production build on :${PORT} (first run builds it)…`);
  app = await startProductionApp({
    port: PORT,
    databaseUrl: url,
    dataDir: DATA_DIR,
    env: { STRIPE_WEBHOOK_SECRET: SECRET },
  });

  const events = payments.map((p, n) => ({
    id: `evt_bench_${n}`,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: "payment_intent.succeeded",
    data: {
      object: {
        id: p.pi,
        object: "payment_intent",
        status: "succeeded",
        amount: AMOUNT,
        currency: "usd",
        metadata: { payment_key: p.key },
      },
    },
  }));
  // 20 % duplicates, in random order among the rest.
  const deliveries = [...events, ...Array.from({ length: TOTAL - DISTINCT }, (_, i) => events[(i * 7919) % DISTINCT])];
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }

  // Signed up front, as Stripe signs before it sends: the clock measures the app, not the senders' HMACs.
  const signed = deliveries.map((d) => {
    const body = JSON.stringify(d);
    return { body, signature: signStripePayload(body, SECRET) };
  });
  const statuses: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < signed.length) {
        const { body, signature } = signed[next++];
        const res = await fetch(`http://localhost:${POST_PORT}/api/stripe/webhook`, {
          method: "POST",
          headers: { "content-type": "application/json", "stripe-signature": signature },
          body,
        });
        const answer = (await res.json()) as { outcome?: string };
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        outcomes[answer.outcome ?? "none"] = (outcomes[answer.outcome ?? "none"] ?? 0) + 1;
      }
    }),
  );
  const accepted = (performance.now() - t0) / 1000;
  const check = async (sql: string) => Number((await c.query<{ n: string }>(sql)).rows[0].n);
  // The route answers once an event is stored; its effects follow in background batches. Wait for them.
  while ((await check(`SELECT count(*) AS n FROM payment_events WHERE status <> 'processed'`)) > 0) {
    if (performance.now() - t0 > 300_000) throw new Error("events still unprocessed after 5 minutes");
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - t0) / 1000;

  const paid = await check(`SELECT count(*) AS n FROM invoices WHERE kind = 'top_up' AND status = 'paid'`);
  const postings = await check(`SELECT count(*) AS n FROM ledger_transactions WHERE kind = 'card_payment'`);
  const cash = await check(`SELECT COALESCE(sum(balance_minor), 0) AS n FROM ledger_accounts WHERE kind = 'user_cash'`);
  const stored = await check(`SELECT count(*) AS n FROM payment_events WHERE status = 'processed'`);
  const wrongCash = await check(
    `SELECT count(*) AS n FROM ledger_accounts WHERE kind = 'user_cash' AND balance_minor <> ${AMOUNT}`,
  );
  await c.end();

  console.log(
    `deliveries: ${TOTAL} (${DISTINCT} distinct events, ${TOTAL - DISTINCT} duplicates) from ${SENDERS} senders to the ${TARGET === "app" ? "Next app" : "ingress server"} on :${POST_PORT}`,
  );
  console.log(`HTTP statuses: ${JSON.stringify(statuses)}; outcomes: ${JSON.stringify(outcomes)}`);
  console.log(`answered all in ${accepted.toFixed(2)} s (${(TOTAL / accepted).toFixed(0)} deliveries/s)`);
  console.log(
    `all effects applied after ${seconds.toFixed(2)} s → ${(TOTAL / seconds).toFixed(0)} events/s end to end (target ≥ 300)`,
  );
  const exact =
    paid === DISTINCT &&
    postings === DISTINCT &&
    cash === DISTINCT * AMOUNT &&
    stored === DISTINCT &&
    wrongCash === 0 &&
    statuses["200"] === TOTAL;
  console.log(
    `exactly once: ${exact ? "yes" : "NO"} — ${paid} invoices paid, ${postings} card postings, cash ${cash} (expected ${DISTINCT * AMOUNT}), ${stored} events processed, ${wrongCash} wallets off`,
  );
  if (!exact) process.exitCode = 1;
} finally {
  if (app && app.exitCode === null) {
    const exited = new Promise((r) => app!.once("exit", r));
    app.kill("SIGTERM");
    await exited;
  }
  await server.stop();
}
