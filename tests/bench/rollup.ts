/**
 * Benchmark (issue 8): the daily usage rollup (BILL-2, BILL-4) over
 * 1,000,000 usage records of one day on the embedded Postgres: 800,000
 * pay-as-you-go calls (a fifth of them paid by a pack and cash together, so
 * two parts) and 200,000 coding-plan calls, over 2,000 users and 6 models.
 * Prints records per second (target ≥ 100,000/s on 2 cores) and checks the
 * rolled-up sums against the records.
 *   npx tsx tests/bench/rollup.ts [records=1000000]
 */
import path from "node:path";
import pg from "pg";
import { rollupDay } from "../../lib/api-billing/rollup";
import { openPostgresServer } from "../../lib/db/server";
import { freshBenchDatabase } from "./fresh-database";

const RECORDS = Number(process.argv[2] ?? 1_000_000);
const CALLS = Math.round(RECORDS * 0.8);
const PLAN = RECORDS - CALLS;
const USERS = 2000;
const DAY = "2027-01-15";

const server = await openPostgresServer({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir: path.join(process.cwd(), ".data", "bench-rollup", "pg"),
  port: Number(process.env.BENCH_ROLLUP_PG_PORT ?? 54345),
});
try {
  const { url, db } = await freshBenchDatabase(server, "codeplan_bench_rollup");
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  c.on("error", () => {});
  const now = new Date(`${DAY}T00:00:00Z`);
  console.log(`writing ${CALLS} pay-as-you-go calls and ${PLAN} coding-plan calls for ${DAY}…`);
  await c.query(
    `INSERT INTO users (id, email, created_at, updated_at)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'r' || i || '@example.test', $1, $1 FROM generate_series(1, $2::int) i`,
    [now, USERS],
  );
  await c.query(
    `INSERT INTO subscriptions (id, user_id, region, currency, tier, cycle, plan_version_id, status, auto_renew, ordered_at,
                                cycle_anchor, period_index, period_start, period_end, period_paid_minor, created_at, updated_at)
     SELECT u.id, u.id, 'intl', 'USD', 'pro', 'monthly', v.id, 'active', true, $1::timestamptz, $1, 1, $1, $1::timestamptz + interval '30 days', 3000, $1, $1
     FROM users u, plan_versions v WHERE v.tier = 'pro' AND v.current`,
    [now],
  );
  const models = ["glm-5", "glm-4.7", "glm-4.6", "glm-4.6v", "glm-4.5", "glm-4.5-air"];
  await c.query(
    `INSERT INTO api_calls (user_id, request_id, key_id, model, currency, input_tokens, output_tokens, cached_tokens, fee_minor, pack_minor, cash_minor, bonus_minor, parts, at)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(1 + i % $2), 12, '0'))::uuid, 'r' || i, gen_random_uuid(), ($3::text[])[1 + i % 6], 'USD',
            1000 + i % 5000, 100 + i % 700, i % 500, 7,
            CASE WHEN i % 5 = 0 THEN 4 ELSE 0 END, CASE WHEN i % 5 = 0 THEN 3 ELSE 7 END, 0,
            CASE WHEN i % 5 = 0
              THEN jsonb_build_array(jsonb_build_object('source', 'pack', 'ref', 'pack-' || (i % $2), 'amount', '4'), jsonb_build_object('source', 'cash', 'ref', '', 'amount', '3'))
              ELSE jsonb_build_array(jsonb_build_object('source', 'cash', 'ref', '', 'amount', '7')) END,
            $4::timestamptz + (i % 86400) * interval '1 second'
     FROM generate_series(1, $1::int) i`,
    [CALLS, USERS, models, now],
  );
  await c.query(
    `INSERT INTO usage_reports (subscription_id, request_id, key_id, model, input_tokens, output_tokens, cached_tokens, at)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(1 + i % $2), 12, '0'))::uuid, 'p' || i, gen_random_uuid(), ($3::text[])[1 + i % 6],
            2000 + i % 3000, 300, 0, $4::timestamptz + (i % 86400) * interval '1 second'
     FROM generate_series(1, $1::int) i`,
    [PLAN, USERS, models, now],
  );
  await c.query("VACUUM ANALYZE");

  console.log("rolling the day up…");
  const t0 = performance.now();
  const read = await rollupDay(db, "intl", "UTC", DAY, new Date(`2027-01-16T01:00:00Z`));
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `rollup: ${RECORDS} records in ${seconds.toFixed(2)} s → ${Math.round(RECORDS / seconds)} records/s (target ≥ 100000)`,
  );

  const sums = (
    await c.query(
      `SELECT sum(calls)::bigint AS calls, sum(amount_minor)::bigint AS amount, sum(input_tokens)::bigint AS input, count(*)::int AS rows FROM usage_days`,
    )
  ).rows[0];
  const expected = (
    await c.query(`SELECT (SELECT sum(fee_minor) FROM api_calls)::bigint AS amount,
      ((SELECT sum(input_tokens) FROM api_calls) + (SELECT sum(input_tokens) FROM usage_reports))::bigint AS input`)
  ).rows[0];
  const ok =
    Number(sums.calls) === RECORDS &&
    read === RECORDS &&
    sums.amount === expected.amount &&
    sums.input === expected.input;
  console.log(
    `check: ${sums.rows} daily rows; calls ${sums.calls} of ${RECORDS}, amount ${sums.amount} of ${expected.amount}, input tokens ${sums.input} of ${expected.input}: ${ok ? "exact" : "MISMATCH"}`,
  );
  await c.end();
  await db.$disconnect();
  if (!ok) process.exitCode = 1;
} finally {
  await server.stop();
}
