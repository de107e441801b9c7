/**
 * Benchmark: renew N due subscriptions end to end — ledger postings, invoices
 * and payment through the port — on the embedded Postgres (or BENCH_DATABASE_URL's
 * server). Prints subscriptions per second. Target (issue 4): ≥ 500/s on 2 cores.
 *   npx tsx tests/bench/renewals.ts [count=10000] [workers=2]
 * Each worker renews batches of RENEWAL_BATCH, as a job of the renewal queue does.
 * Half the subscribers pay from credits alone; the other half need the card
 * for the rest, through an in-process double of the payment port (a benchmark
 * is not the running app, which never uses one).
 */
import path from "node:path";
import pg from "pg";
import { loadCatalog } from "../../lib/billing/catalog-load";
import { renewSubscriptions, dueSubscriptionIds } from "../../lib/billing/renew";
import { RENEWAL_BATCH } from "../../lib/jobs/renewals";
import { openPostgresServer } from "../../lib/db/server";
import { freshBenchDatabase } from "./fresh-database";
import type { ChargeRequest, ChargeResult, PaymentPort } from "../../lib/payments";
import { noProcessor } from "../../lib/payments/no-processor";

const COUNT = Number(process.argv[2] ?? 10_000);
const CONCURRENCY = Number(process.argv[3] ?? 2);
const DB_NAME = "codeplan_bench";

const server = await openPostgresServer({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: path.join(process.cwd(), ".data", "bench", "pg"),
  port: Number(process.env.BENCH_PG_PORT ?? 54340),
});
try {
  const { url, db } = await freshBenchDatabase(server, DB_NAME);

  // Due subscriptions: Pro monthly, ended an hour before "now".
  const now = new Date("2027-06-01T12:00:00Z");
  const t0 = performance.now();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(
    `WITH v AS (SELECT id FROM plan_versions WHERE tier = 'pro' AND current)
     , u AS (
       INSERT INTO users (id, email, created_at, updated_at)
       SELECT gen_random_uuid(), 'bench' || i || '@example.test', $1, $1 FROM generate_series(1, $2::int) i RETURNING id, email)
     INSERT INTO subscriptions (id, user_id, region, currency, tier, cycle, plan_version_id, status, auto_renew, ordered_at, cycle_anchor,
       period_index, period_start, period_end, period_paid_minor, created_at, updated_at)
     SELECT gen_random_uuid(), u.id, 'intl', 'USD', 'pro', 'monthly', v.id, 'active', true, $3, $3, 1, $3, $4, 3000, $3, $3 FROM u, v`,
    [now, COUNT, new Date("2027-05-01T11:00:00Z"), new Date("2027-06-01T11:00:00Z")],
  );
  // Credits, as grants from promotions: all of the price for even users, a third of it for odd ones.
  await c.query(
    `INSERT INTO ledger_accounts (id, kind, currency, created_at) VALUES (gen_random_uuid(), 'promotions', 'USD', $1)`,
    [now],
  );
  await c.query(
    `INSERT INTO ledger_accounts (id, kind, user_id, currency, created_at) SELECT gen_random_uuid(), 'user_credits', id, 'USD', $1 FROM users`,
    [now],
  );
  await c.query(
    `WITH g AS (
       SELECT a.id AS account, u.id AS user_id, CASE WHEN row_number() OVER (ORDER BY u.email) % 2 = 0 THEN 3000 ELSE 1000 END AS amount
       FROM users u JOIN ledger_accounts a ON a.user_id = u.id AND a.kind = 'user_credits')
     , t AS (
       INSERT INTO ledger_transactions (id, idempotency_key, kind, user_id, created_at)
       SELECT gen_random_uuid(), 'bench-grant:' || g.user_id, 'credit_grant', g.user_id, $1 FROM g RETURNING id, user_id)
     INSERT INTO ledger_entries (transaction_id, account_id, amount_minor)
     SELECT t.id, g.account, g.amount FROM t JOIN g ON g.user_id = t.user_id
     UNION ALL
     SELECT t.id, (SELECT id FROM ledger_accounts WHERE kind = 'promotions'), -g.amount FROM t JOIN g ON g.user_id = t.user_id`,
    [now],
  );
  await c.query("ANALYZE");
  console.log(`setup: ${COUNT} due subscriptions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const charged = new Map<string, ChargeResult>();
  const charge = async (req: ChargeRequest): Promise<ChargeResult> => {
    const seen = charged.get(req.idempotencyKey);
    if (seen) return seen;
    const result: ChargeResult = { status: "succeeded", providerPaymentId: `pi_bench_${charged.size + 1}` };
    charged.set(req.idempotencyKey, result);
    return result;
  };
  const port: PaymentPort = {
    ...noProcessor,
    name: "bench",
    canCharge: async () => true,
    chargeOffSession: charge,
    startOnSession: charge,
  };

  const deps = { db, now, port };
  const catalog = await loadCatalog(db);
  const ids = await dueSubscriptionIds(deps, COUNT + 1);
  const outcomes = new Map<string, number>();
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ids.length) {
        const batch = ids.slice(next, (next += RENEWAL_BATCH));
        for (const outcome of (await renewSubscriptions(deps, batch, catalog)).values())
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;

  const check = await c.query(
    `SELECT (SELECT count(*) FROM invoices WHERE kind = 'renewal' AND status = 'paid')::int AS paid,
            (SELECT count(*) FROM subscriptions WHERE period_index = 2)::int AS renewed,
            (SELECT count(*) FROM payments WHERE status = 'succeeded')::int AS cards,
            (SELECT coalesce(sum(amount_minor), 0) FROM ledger_entries)::bigint AS ledger_sum`,
  );
  await c.end();
  await db.$disconnect();
  console.log(`outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  console.log(`checked: ${JSON.stringify(check.rows[0])} (ledger_sum must be 0)`);
  console.log(
    `renewed ${ids.length} subscriptions in ${seconds.toFixed(2)} s by ${CONCURRENCY} workers in batches of ${RENEWAL_BATCH}: ${(ids.length / seconds).toFixed(0)} subscriptions/s`,
  );
} finally {
  await server.stop();
}
