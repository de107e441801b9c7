import type pg from "pg";
import { CLOCK_NOW, DRAINED, INVARIANTS } from "../support/invariants";

/**
 * REL-1's invariants, each a small named SQL check that answers the rows that
 * break it (none when it holds). They read only the database, plus what the
 * run hands in: what clients were told and what the processor charged. The
 * quota checks read chaos_quota_log (see installQuotaLog), because the
 * worker's pruning deletes old consumptions while the run moves the clock.
 */
export type Facts = {
  /** Request ids of the consume decisions the decision API answered "allowed". */
  allowedRequestIds: string[];
  /** Invoices a client was told were paid. */
  paidInvoiceIds: string[];
  /** The processor's succeeded charges: id and amount. */
  charges: { id: string; amount: number }[];
  /** The processor's succeeded refunds: id and amount. */
  refunds: { id: string; amount: number }[];
  /** Every event the processor recorded. */
  eventIds: string[];
};

export type Check = { name: string; rule: string; sql: string; params?: (f: Facts) => unknown[] };

/** The checks that need the run's facts or its quota log; the database-only ones live in tests/support/invariants.ts. */
const RUN_CHECKS: Check[] = [
  {
    name: "no invoice paid twice",
    rule: "REL-1",
    sql: `SELECT p."invoice_id"::text, count(*)::int AS payments, SUM(p."amount_minor")::text AS paid, max(i."card_minor")::text AS card
          FROM "payments" p JOIN "invoices" i ON i."id" = p."invoice_id" WHERE p."status" = 'succeeded'
          GROUP BY p."invoice_id" HAVING count(*) > 1 OR SUM(p."amount_minor") > max(i."card_minor")`,
  },
  {
    // A charge that landed after its order was given up is kept as cash (a late_payment posting), never lost.
    name: "no charge taken for nothing",
    rule: "REL-1",
    sql: `SELECT p."id"::text, p."invoice_id"::text, i."status"::text FROM "payments" p JOIN "invoices" i ON i."id" = p."invoice_id"
          WHERE p."status" = 'succeeded' AND i."status" <> 'paid'
            AND NOT EXISTS (SELECT 1 FROM "ledger_transactions" t WHERE t."idempotency_key" = 'payment:' || p."idempotency_key" || ':late')`,
  },
  {
    name: "every paid invoice acknowledged to a client is still paid",
    rule: "REL-1",
    sql: `SELECT t.id FROM unnest($1::uuid[]) AS t(id) LEFT JOIN "invoices" i ON i."id" = t.id WHERE i."status" IS DISTINCT FROM 'paid'`,
    params: (f) => [f.paidInvoiceIds],
  },
  {
    name: "every processor charge is one payment, same amount",
    rule: "PAY-2",
    sql: `SELECT c.id, c.amount, p."amount_minor"::text, p."status"::text FROM unnest($1::text[], $2::bigint[]) AS c(id, amount)
          LEFT JOIN "payments" p ON p."provider_payment_id" = c.id
          WHERE p."id" IS NULL OR p."status" <> 'succeeded' OR p."amount_minor" <> c.amount`,
    params: (f) => [f.charges.map((c) => c.id), f.charges.map((c) => c.amount)],
  },
  {
    name: "every succeeded payment was charged by the processor",
    rule: "PAY-2",
    sql: `SELECT p."id"::text, p."provider_payment_id" FROM "payments" p
          WHERE p."status" = 'succeeded' AND NOT (COALESCE(p."provider_payment_id", '') = ANY($1::text[]))`,
    params: (f) => [f.charges.map((c) => c.id)],
  },
  {
    name: "every processor refund is one refund, same amount",
    rule: "REFUND-1",
    sql: `SELECT c.id, c.amount, r."amount_minor"::text, r."status"::text FROM unnest($1::text[], $2::bigint[]) AS c(id, amount)
          LEFT JOIN "refunds" r ON r."provider_refund_id" = c.id
          WHERE r."id" IS NULL OR r."status" <> 'succeeded' OR r."amount_minor" <> c.amount`,
    params: (f) => [f.refunds.map((c) => c.id), f.refunds.map((c) => c.amount)],
  },
  {
    name: "refunded never more than paid",
    rule: "REFUND-1",
    sql: `SELECT p."id"::text, p."amount_minor"::text, p."refunded_minor"::text, COALESCE(SUM(r."amount_minor") FILTER (WHERE r."status" <> 'failed'), 0)::text AS refunds
          FROM "payments" p LEFT JOIN "refunds" r ON r."payment_id" = p."id" GROUP BY p."id"
          HAVING p."refunded_minor" > p."amount_minor" OR p."refunded_minor" <> COALESCE(SUM(r."amount_minor") FILTER (WHERE r."status" <> 'failed'), 0)`,
  },
  {
    name: "every processor event stored",
    rule: "PAY-2",
    sql: `SELECT t.id FROM unnest($1::text[]) AS t(id) LEFT JOIN "payment_events" e ON e."id" = t.id WHERE e."id" IS NULL`,
    params: (f) => [f.eventIds],
  },
  {
    name: "every processor event processed",
    rule: "PAY-2",
    sql: `SELECT "id", "type", "status"::text, "attempts", "last_error" FROM "payment_events" WHERE "status" <> 'processed'`,
  },
  {
    name: "every allowed decision recorded",
    rule: "QUOTA-1",
    sql: `SELECT t.id FROM unnest($1::text[]) AS t(id) WHERE NOT EXISTS (SELECT 1 FROM "chaos_quota_log" l WHERE l."request_id" = t.id AND l."op" = 'i')`,
    params: (f) => [f.allowedRequestIds],
  },
  {
    name: "every decision recorded at most once",
    rule: "QUOTA-1",
    sql: `SELECT "subscription_id"::text, "request_id", count(*)::int FROM "chaos_quota_log" WHERE "op" = 'i' GROUP BY 1, 2 HAVING count(*) > 1`,
  },
  {
    // Units of prompts alive in each admitting use's 5-hour window when it was admitted: inserted in the
    // window before it and not given back before it. The limit is the subscription's (upgrades only raise it).
    name: "no 5-hour window above its limit",
    rule: "QUOTA-2",
    sql: `SELECT r."subscription_id"::text, r."at", v."prompts_5h", (
            SELECT SUM(x."units") FROM "chaos_quota_log" x
            WHERE x."op" = 'i' AND x."subscription_id" = r."subscription_id" AND x."pool" = 'prompt'
              AND x."at" > r."at" - interval '5 hours' AND x."at" <= r."at" AND x."logged_at" <= r."logged_at"
              AND NOT EXISTS (SELECT 1 FROM "chaos_quota_log" g WHERE g."op" = 'g' AND g."subscription_id" = x."subscription_id"
                              AND g."request_id" = x."request_id" AND g."logged_at" < r."logged_at")
          )::int AS used
          FROM "chaos_quota_log" r JOIN "subscriptions" s ON s."id" = r."subscription_id" JOIN "plan_versions" v ON v."id" = s."plan_version_id"
          WHERE r."op" = 'i' AND r."pool" = 'prompt' AND (
            SELECT SUM(x."units") FROM "chaos_quota_log" x
            WHERE x."op" = 'i' AND x."subscription_id" = r."subscription_id" AND x."pool" = 'prompt'
              AND x."at" > r."at" - interval '5 hours' AND x."at" <= r."at" AND x."logged_at" <= r."logged_at"
              AND NOT EXISTS (SELECT 1 FROM "chaos_quota_log" g WHERE g."op" = 'g' AND g."subscription_id" = x."subscription_id"
                              AND g."request_id" = x."request_id" AND g."logged_at" < r."logged_at")
          ) > v."prompts_5h"`,
  },
  {
    name: "no event claim left",
    rule: "PAY-2",
    sql: `SELECT "id", "locked_until" FROM "payment_events" WHERE "status" = 'processing'`,
  },
  {
    name: "no job claim left",
    rule: "REL-1",
    sql: `SELECT "name", "id"::text, "state"::text FROM "pgboss"."job" WHERE "state" = 'active'`,
  },
  {
    name: "each referral reward at most once per order",
    rule: "REF-5",
    sql: `SELECT r."id"::text, r."invoice_id"::text, count(t."id")::int AS rewards FROM "referrals" r
          JOIN "ledger_transactions" t ON t."kind" = 'referral_reward' AND t."idempotency_key" = 'referral:' || r."id" || ':reward'
          GROUP BY r."id" HAVING count(t."id") > 1 OR (r."issued_at" IS NULL)`,
  },
];

/**
 * The run's record of every consumption and give-back (a trigger on
 * quota_uses, installed by the run only): pruning, which deletes what no
 * window can see any more, is told apart from a give-back by age (the
 * retention is 35 days of the application's clock).
 */
export async function installQuotaLog(c: pg.Client) {
  await c.query(`CREATE TABLE IF NOT EXISTS "chaos_quota_log" (
    "subscription_id" uuid NOT NULL, "request_id" text NOT NULL, "pool" text NOT NULL, "units" int NOT NULL,
    "at" timestamptz(3) NOT NULL, "op" char(1) NOT NULL, "logged_at" timestamptz NOT NULL DEFAULT clock_timestamp())`);
  await c.query(`CREATE INDEX IF NOT EXISTS "chaos_quota_log_sub" ON "chaos_quota_log" ("subscription_id", "at")`);
  await c.query(`CREATE INDEX IF NOT EXISTS "chaos_quota_log_req" ON "chaos_quota_log" ("request_id")`);
  await c.query(`CREATE OR REPLACE FUNCTION chaos_quota_log() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO "chaos_quota_log" VALUES (NEW."subscription_id", NEW."request_id", NEW."pool", NEW."units", NEW."at", 'i');
      ELSIF OLD."at" >= ${CLOCK_NOW} - interval '34 days' THEN
        INSERT INTO "chaos_quota_log" VALUES (OLD."subscription_id", OLD."request_id", OLD."pool", OLD."units", OLD."at", 'g');
      END IF;
      RETURN NULL;
    END $$`);
  await c.query(
    `CREATE OR REPLACE TRIGGER "chaos_quota_log" AFTER INSERT OR DELETE ON "quota_uses" FOR EACH ROW EXECUTE FUNCTION chaos_quota_log()`,
  );
}

/** Every invariant a run checks: what holds at any moment, what holds once drained, and the run-specific ones. */
export const CHECKS: Check[] = [...INVARIANTS, ...DRAINED, ...RUN_CHECKS];

export type CheckResult = { name: string; rule: string; violations: Record<string, unknown>[] };

export async function runChecks(c: pg.Client, facts: Facts): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const check of CHECKS) {
    // A check that cannot run is reported as broken, not skipped.
    const rows = await c.query(check.sql, check.params?.(facts) ?? []).then(
      (r) => r.rows,
      (e: Error) => [{ error: e.message }],
    );
    out.push({ name: check.name, rule: check.rule, violations: rows });
  }
  return out;
}
