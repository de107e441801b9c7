import pg from "pg";

/**
 * The REL-1 invariants, checked in SQL against any CodePlan database (a live
 * one after a fault-injection run, a restored backup, a test's own). Each check
 * returns the rows that break it (at most `limit`), so a report can show them;
 * an empty list means the invariant holds. Used by the REL-4 backup test and
 * the chaos run (tests/chaos/invariants.ts adds the checks that need what
 * the run saw: what clients were told and what the processor charged).
 */

export type Violation = { check: string; detail: Record<string, unknown> };
/** `rule`: the PRODUCT.md rule the check proves, for the report. */
export type InvariantCheck = { name: string; rule: string; sql: string };

/** The application's clock: the test clock's offset on the database's own time (0 where no test clock moved). */
export const CLOCK_NOW = `(now() + (SELECT COALESCE(max("offset_ms"), 0) FROM "test_clock") * interval '1 millisecond')`;

const LIMIT = 20;

/** What must hold at any moment, faults or not. */
export const INVARIANTS: InvariantCheck[] = [
  {
    // WALLET-1: every posting sums to zero in each currency it touches.
    name: "ledger transaction balances",
    rule: "WALLET-3",
    sql: `SELECT e."transaction_id" AS transaction, a."currency", SUM(e."amount_minor")::text AS sum
            FROM "ledger_entries" e JOIN "ledger_accounts" a ON a."id" = e."account_id"
           GROUP BY e."transaction_id", a."currency" HAVING SUM(e."amount_minor") <> 0`,
  },
  {
    // A posting with no entries would be money said to move that did not.
    name: "ledger transaction has entries",
    rule: "WALLET-3",
    sql: `SELECT t."id" AS transaction FROM "ledger_transactions" t
           WHERE NOT EXISTS (SELECT 1 FROM "ledger_entries" e WHERE e."transaction_id" = t."id")`,
  },
  {
    // User accounts keep their balance (trigger-maintained); it must equal the sum of their entries.
    name: "balance equals sum of postings",
    rule: "WALLET-3",
    sql: `SELECT a."id" AS account, a."kind", a."balance_minor"::text AS balance, COALESCE(s.sum, 0)::text AS postings
            FROM "ledger_accounts" a
            LEFT JOIN (SELECT "account_id", SUM("amount_minor") AS sum FROM "ledger_entries" GROUP BY "account_id") s ON s."account_id" = a."id"
           WHERE a."user_id" IS NOT NULL AND a."balance_minor" <> COALESCE(s.sum, 0)`,
  },
  {
    name: "balance not below zero",
    rule: "WALLET-3",
    sql: `SELECT a."id" AS account, a."kind", a."balance_minor"::text AS balance FROM "ledger_accounts" a
           WHERE a."user_id" IS NOT NULL AND a."balance_minor" < 0`,
  },
  {
    // SUB-1/SUB-2: a subscription period is paid by one invoice at most.
    name: "period paid at most once",
    rule: "SUB-1",
    sql: `SELECT "subscription_id" AS subscription, "period_start" AS period, COUNT(*)::int AS paid
            FROM "invoices" WHERE "status" = 'paid' AND "kind" IN ('subscribe', 'renewal') AND "subscription_id" IS NOT NULL
           GROUP BY "subscription_id", "period_start" HAVING COUNT(*) > 1`,
  },
  {
    // An invoice is charged to the card at most once: two succeeded payments would be a double charge.
    name: "invoice charged at most once",
    rule: "REL-1",
    sql: `SELECT "invoice_id" AS invoice, COUNT(*)::int AS payments FROM "payments"
           WHERE "status" = 'succeeded' GROUP BY "invoice_id" HAVING COUNT(*) > 1`,
  },
  {
    // A paid invoice whose card part is owed must have that card payment (none paid is lost).
    name: "paid invoice has its card payment",
    rule: "REL-1",
    sql: `SELECT i."id" AS invoice, i."card_minor"::text AS card FROM "invoices" i
           WHERE i."status" = 'paid' AND i."card_minor" > 0
             AND NOT EXISTS (SELECT 1 FROM "payments" p WHERE p."invoice_id" = i."id" AND p."status" = 'succeeded')`,
  },
  {
    name: "refunds within the payment",
    rule: "REFUND-1",
    sql: `SELECT "id" AS payment FROM "payments" WHERE "refunded_minor" < 0 OR "refunded_minor" > "amount_minor"`,
  },
  {
    // REF-1: one reward per referred order (the unique index says so; a restored copy must keep it).
    name: "referral reward at most once per order",
    rule: "REF-5",
    sql: `SELECT "invoice_id" AS invoice, COUNT(*)::int AS rewards FROM "referrals"
           WHERE "invoice_id" IS NOT NULL GROUP BY "invoice_id" HAVING COUNT(*) > 1`,
  },
  {
    // An event marked processed says when: a half-written "processed" would hide a lost effect.
    name: "processed payment event has its time",
    rule: "PAY-2",
    sql: `SELECT "id" AS event, "status" FROM "payment_events" WHERE "status" = 'processed' AND "processed_at" IS NULL`,
  },
];

/** What must hold once a run has drained (no call in flight): nothing left behind. */
export const DRAINED: InvariantCheck[] = [
  {
    name: "no concurrency slot left",
    rule: "QUOTA-8",
    sql: `SELECT "subscription_id" AS subscription, "request_id" AS request FROM "quota_slots" WHERE "lease_until" > ${CLOCK_NOW}`,
  },
  {
    name: "no hold left",
    rule: "BILL-1",
    sql: `SELECT "user_id" AS "user", "request_id" AS request FROM "api_holds" WHERE "expires_at" > ${CLOCK_NOW}`,
  },
  {
    name: "no payment event left unprocessed",
    rule: "PAY-2",
    sql: `SELECT "id" AS event, "status" FROM "payment_events" WHERE "status" <> 'processed'`,
  },
];

/** Runs `checks` against the database at `url` and returns every violation found. */
export async function checkInvariants(
  url: string,
  checks: InvariantCheck[] = INVARIANTS,
  limit = LIMIT,
): Promise<Violation[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const found: Violation[] = [];
    for (const c of checks) {
      const { rows } = await client.query(`${c.sql} LIMIT ${limit}`);
      for (const detail of rows) found.push({ check: c.name, detail });
    }
    return found;
  } finally {
    await client.end();
  }
}

/** One line per violation, for a test's failure message or a run's report. */
export function describeViolations(violations: Violation[]): string {
  return violations.map((v) => `${v.check}: ${JSON.stringify(v.detail)}`).join("\n");
}
