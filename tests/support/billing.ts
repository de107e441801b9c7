import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { BillingError, loadCatalog, stockStatus, topUp } from "../../lib/billing";
import type { Db, Tx } from "../../lib/db";
import { grantCredits, walletOf } from "../../lib/ledger";
import type { ChargeRequest, PaymentPort } from "../../lib/payments";

/** Shared helpers for the billing integration tests: users, wallet money, and read-backs. */

export const at = (iso: string) => new Date(iso);

export async function makeUser(db: Db, now: Date, opts: { region?: "intl" | "cn" } = {}): Promise<string> {
  const u = await db.user.create({
    data: {
      email: `u-${randomUUID()}@example.test`,
      createdAt: now,
      updatedAt: now,
      ...(opts.region ? { region: opts.region } : {}),
    },
  });
  return u.id;
}

/** Promotional credits (WALLET-2) through the real admin grant. */
export async function giveCredits(db: Db, userId: string, amountMinor: bigint, now: Date, currency = "USD") {
  const posted = await grantCredits(db, {
    adminId: userId,
    userId,
    currency,
    amountMinor,
    reason: "test grant",
    requestId: randomUUID(),
    now,
  });
  expect(posted).toBe(true);
}

/** Cash through a real top-up paid by the given (fake) port (WALLET-4). */
export async function giveCash(db: Db, port: PaymentPort, userId: string, amountMinor: bigint, now: Date) {
  const outcome = await topUp({ db, now, port }, { userId, amountMinor, requestId: randomUUID() });
  expect(outcome.status).toBe("paid");
}

export async function wallet(db: Db, userId: string, currency = "USD") {
  return walletOf(db as unknown as Tx, userId, currency);
}

/** The invoice's lines as kind → amount (order-free). */
export async function linesOf(db: Db, invoiceId: string): Promise<Record<string, bigint>> {
  const lines = await db.invoiceLine.findMany({ where: { invoiceId } });
  const out: Record<string, bigint> = {};
  for (const l of lines) out[l.kind] = (out[l.kind] ?? 0n) + l.amountMinor;
  return out;
}

export async function liveSub(db: Db, userId: string) {
  return db.subscription.findFirstOrThrow({ where: { userId, status: { not: "expired" } } });
}

export async function versionId(db: Db, tier: "lite" | "pro" | "max", version: number) {
  const v = await db.planVersion.findUniqueOrThrow({ where: { tier_version: { tier, version } } });
  return v.id;
}

/** Awaits a call that must be refused with a BillingError and returns the error. */
export async function refusal(p: Promise<unknown>): Promise<BillingError> {
  let value: unknown;
  try {
    value = await p;
  } catch (e) {
    if (e instanceof BillingError) return e;
    throw e;
  }
  throw new Error(
    `expected a BillingError, the call returned ${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v))}`,
  );
}

/** Everything a billing flow could change for one user, to show a refusal changed nothing. */
export async function billingState(db: Db, userId: string, now: Date) {
  const catalog = await loadCatalog(db);
  const [invoices, subscriptions, payments, ledgerTransactions, stock, w] = await Promise.all([
    db.invoice.findMany({ where: { userId }, orderBy: { number: "asc" } }),
    db.subscription.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
    db.payment.count({ where: { invoice: { userId } } }),
    db.ledgerTransaction.count(),
    stockStatus(db, now, catalog.stock),
    wallet(db, userId),
  ]);
  return { invoices, subscriptions, payments, ledgerTransactions, stock: stock.tiers, wallet: w };
}

/**
 * User accounts whose balance column is not the sum of their entries, and
 * currencies whose entries do not sum to zero (WALLET-3); empty when all agree.
 * (System accounts store no balance: theirs is the sum of their entries.)
 */
export async function balanceMismatches(db: Db) {
  return db.$queryRaw<{ id: string; balance: bigint; sum: bigint }[]>`
    SELECT a."id"::text, a."balance_minor" AS "balance", COALESCE(SUM(e."amount_minor"), 0)::bigint AS "sum"
    FROM "ledger_accounts" a LEFT JOIN "ledger_entries" e ON e."account_id" = a."id"
    WHERE a."user_id" IS NOT NULL
    GROUP BY a."id" HAVING a."balance_minor" <> COALESCE(SUM(e."amount_minor"), 0)
    UNION ALL
    SELECT a."currency", 0::bigint, SUM(e."amount_minor")::bigint
    FROM "ledger_entries" e JOIN "ledger_accounts" a ON a."id" = e."account_id"
    GROUP BY a."currency" HAVING SUM(e."amount_minor") <> 0`;
}

/** Ledger transactions whose entries do not sum to zero per currency; empty when all balance. */
export async function unbalancedTransactions(db: Db) {
  return db.$queryRaw<{ transaction_id: string }[]>`
    SELECT e."transaction_id" FROM "ledger_entries" e JOIN "ledger_accounts" a ON a."id" = e."account_id"
    GROUP BY e."transaction_id", a."currency" HAVING SUM(e."amount_minor") <> 0`;
}

/** Wraps a port and records which method was called with which request. */
export function spyPort(inner: PaymentPort) {
  const calls: { method: "chargeOffSession" | "startOnSession"; req: ChargeRequest }[] = [];
  const port: PaymentPort = {
    ...inner,
    chargeOffSession: async (req) => {
      calls.push({ method: "chargeOffSession", req });
      return inner.chargeOffSession(req);
    },
    startOnSession: async (req) => {
      calls.push({ method: "startOnSession", req });
      return inner.startOnSession(req);
    },
  };
  return { port, calls };
}

/** A port whose charges take `ms` to answer, like a real processor. */
export function slowPort(inner: PaymentPort, ms: number): PaymentPort {
  const wait = () => new Promise((r) => setTimeout(r, ms));
  return {
    ...inner,
    chargeOffSession: async (req) => {
      await wait();
      return inner.chargeOffSession(req);
    },
    startOnSession: async (req) => {
      await wait();
      return inner.startOnSession(req);
    },
  };
}

/**
 * A port whose charges wait at a gate: `arrived(n)` resolves once n charges
 * have reached the processor, `release()` lets every waiting charge through.
 * Makes "a second request while the first payment is in flight" deterministic.
 */
export function gatedPort(inner: PaymentPort) {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let count = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const pass = async <T>(f: () => Promise<T>) => {
    count += 1;
    for (const w of waiters) if (count >= w.n) w.resolve();
    await gate;
    return f();
  };
  const port: PaymentPort = {
    ...inner,
    chargeOffSession: (req) => pass(() => inner.chargeOffSession(req)),
    startOnSession: (req) => pass(() => inner.startOnSession(req)),
  };
  const arrived = (n: number) =>
    count >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
  return { port, arrived, release: () => open() };
}
