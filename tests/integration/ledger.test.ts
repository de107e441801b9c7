import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BillingError, renewSubscription, retryOverdueRenewals, subscribe, topUp, upgrade } from "../../lib/billing";
import { createDb } from "../../lib/db/client";
import { grantCredits, LedgerError, post, system, userCredits, type Posting } from "../../lib/ledger";
import { noProcessor } from "../../lib/payments/no-processor";
import {
  at,
  balanceMismatches,
  giveCash,
  giveCredits,
  linesOf,
  liveSub,
  makeUser,
  refusal,
  spyPort,
  unbalancedTransactions,
  wallet,
} from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();

const postAlone = (p: Posting, db = t.db) => db.$transaction((tx) => post(tx, p));

async function ledgerError(p: Promise<unknown>): Promise<LedgerError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LedgerError) return e;
    throw e;
  }
  throw new Error("expected a LedgerError, the posting went through");
}

describe("ledger (WALLET-3)", () => {
  it("WALLET-3: a posting that would overdraw a user balance is refused insufficient_funds and leaves no rows", async () => {
    const now = at("2027-01-02T00:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 50n, now);
    const entriesBefore = await t.db.ledgerEntry.count();

    const err = await ledgerError(
      postAlone({
        idempotencyKey: "overdraw-1",
        kind: "test",
        userId,
        at: now,
        entries: [
          { account: userCredits(userId, "USD"), amountMinor: -51n },
          { account: system("revenue", "USD"), amountMinor: 51n },
        ],
      }),
    );
    expect(err.code).toBe("insufficient_funds");
    expect(await t.db.ledgerTransaction.count({ where: { idempotencyKey: "overdraw-1" } })).toBe(0);
    expect(await t.db.ledgerEntry.count()).toBe(entriesBefore);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 50n, cashMinor: 0n });

    // Exactly the balance is fine: it goes to zero, not below.
    expect(
      await postAlone({
        idempotencyKey: "overdraw-2",
        kind: "test",
        userId,
        at: now,
        entries: [
          { account: userCredits(userId, "USD"), amountMinor: -50n },
          { account: system("revenue", "USD"), amountMinor: 50n },
        ],
      }),
    ).toBe(true);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
  });

  it("WALLET-3: the database itself refuses a negative user balance, whatever the application does", async () => {
    const now = at("2027-01-02T00:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 10n, now);
    const [credits] = await t.db.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "ledger_accounts" WHERE "user_id" = ${userId}::uuid AND "kind" = 'user_credits'`;
    const [revenue] = await t.db.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "ledger_accounts" WHERE "user_id" IS NULL AND "kind" = 'revenue' AND "currency" = 'USD'`;
    await expect(
      t.db.$transaction(async (tx) => {
        const [txn] = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO "ledger_transactions" ("id", "idempotency_key", "kind", "created_at")
          VALUES (gen_random_uuid(), 'raw-overdraw', 'test', ${now}) RETURNING "id"`;
        await tx.$executeRaw`INSERT INTO "ledger_entries" ("transaction_id", "account_id", "amount_minor") VALUES (${txn.id}::uuid, ${revenue.id}::uuid, 11)`;
        await tx.$executeRaw`INSERT INTO "ledger_entries" ("transaction_id", "account_id", "amount_minor") VALUES (${txn.id}::uuid, ${credits.id}::uuid, -11)`;
      }),
    ).rejects.toThrow(/ledger_accounts_user_balance_non_negative/);
    expect(await t.db.ledgerTransaction.count({ where: { idempotencyKey: "raw-overdraw" } })).toBe(0);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 10n, cashMinor: 0n });
  });

  it("WALLET-3: an unbalanced posting is refused by post() and, bypassing it, by the database at commit", async () => {
    const now = at("2027-01-03T00:00:00Z");
    const userId = await makeUser(t.db, now);
    const err = await ledgerError(
      postAlone({
        idempotencyKey: "unbalanced-1",
        kind: "test",
        userId,
        at: now,
        entries: [
          { account: system("promotions", "USD"), amountMinor: -50n },
          { account: userCredits(userId, "USD"), amountMinor: 100n },
        ],
      }),
    );
    expect(err.code).toBe("unbalanced");
    expect(await t.db.ledgerTransaction.count({ where: { idempotencyKey: "unbalanced-1" } })).toBe(0);

    // Same currency sum but across two currencies is still unbalanced per currency.
    const err2 = await ledgerError(
      postAlone({
        idempotencyKey: "unbalanced-2",
        kind: "test",
        userId,
        at: now,
        entries: [
          { account: system("promotions", "USD"), amountMinor: -100n },
          { account: userCredits(userId, "CNY"), amountMinor: 100n },
        ],
      }),
    );
    expect(err2.code).toBe("unbalanced");

    await giveCredits(t.db, userId, 1n, now); // opens the promotions account
    const [promotions] = await t.db.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "ledger_accounts" WHERE "user_id" IS NULL AND "kind" = 'promotions' AND "currency" = 'USD'`;
    const entriesOf = (id: string) => t.db.ledgerEntry.count({ where: { accountId: id } });
    const before = await entriesOf(promotions.id);
    await expect(
      t.db.$transaction(async (tx) => {
        const [txn] = await tx.$queryRaw<{ id: string }[]>`
          INSERT INTO "ledger_transactions" ("id", "idempotency_key", "kind", "created_at")
          VALUES (gen_random_uuid(), 'raw-unbalanced', 'test', ${now}) RETURNING "id"`;
        await tx.$executeRaw`INSERT INTO "ledger_entries" ("transaction_id", "account_id", "amount_minor") VALUES (${txn.id}::uuid, ${promotions.id}::uuid, 100)`;
      }),
    ).rejects.toThrow(/does not balance/);
    expect(await t.db.ledgerTransaction.count({ where: { idempotencyKey: "raw-unbalanced" } })).toBe(0);
    expect(await entriesOf(promotions.id)).toBe(before);
  });

  it("WALLET-3: an idempotency key posts once even when the same posting is fired 10 times in parallel", async () => {
    const now = at("2027-01-04T00:00:00Z");
    const userId = await makeUser(t.db, now);
    const key = `parallel:${randomUUID()}`;
    const posting: Posting = {
      idempotencyKey: key,
      kind: "test",
      userId,
      at: now,
      entries: [
        { account: system("promotions", "USD"), amountMinor: -100n },
        { account: userCredits(userId, "USD"), amountMinor: 100n },
      ],
    };
    const clients = [createDb(t.url), createDb(t.url)];
    let results: boolean[];
    try {
      results = await Promise.all(Array.from({ length: 10 }, (_, i) => postAlone(posting, clients[i % 2])));
    } finally {
      await Promise.all(clients.map((c) => c.$disconnect()));
    }
    expect(results.filter((r) => r === true)).toHaveLength(1);
    expect(results.filter((r) => r === false)).toHaveLength(9);
    const txn = await t.db.ledgerTransaction.findUniqueOrThrow({
      where: { idempotencyKey: key },
      include: { entries: true },
    });
    expect(txn.entries.map((e) => e.amountMinor).sort()).toEqual([-100n, 100n]);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 100n, cashMinor: 0n });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("WALLET-3: a credit grant double-submitted 10 times in parallel grants once and audits once", async () => {
    const now = at("2027-01-04T00:00:00Z");
    const userId = await makeUser(t.db, now);
    const admin = await makeUser(t.db, now);
    const requestId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        grantCredits(t.db, {
          adminId: admin,
          userId,
          currency: "USD",
          amountMinor: 250n,
          reason: "goodwill",
          requestId,
          now,
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 250n, cashMinor: 0n });
    const audits = await t.db.auditLog.findMany({ where: { action: "wallet.grant_credits", actorId: admin } });
    expect(audits).toHaveLength(1);
    expect(audits[0].after).toMatchObject({ amountMinor: "250", currency: "USD", reason: "goodwill" });
  });

  it("WALLET-3: after a series of flows every balance equals the sum of its entries and the books balance", async () => {
    const pay = fakePayments();
    const t0 = at("2027-01-05T00:00:00Z");
    const userId = await makeUser(t.db, t0);
    await giveCredits(t.db, userId, 700n, t0);
    await giveCash(t.db, pay.port, userId, 1000n, t0);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 700n, cashMinor: 1000n });

    // Pro monthly, first order 1500: credits 700, cash 800.
    const sub = await subscribe(
      { db: t.db, now: t0, port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: "r" },
    );
    expect(await linesOf(t.db, sub.invoiceId)).toEqual({
      plan: 3000n,
      first_order_discount: -1500n,
      credits_applied: -700n,
      cash_applied: -800n,
    });
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 200n });

    // Max on 01-20: 16 of 31 days left → unused ceil(1500 × 16 / 31) = 775; charge 5225 = cash 200 + card 5025.
    const up = await upgrade(
      { db: t.db, now: at("2027-01-20T00:00:00Z"), port: pay.port },
      { userId, tier: "max", cycle: "monthly", requestId: randomUUID() },
    );
    expect(await linesOf(t.db, up.invoiceId)).toEqual({
      plan: 6000n,
      proration_credit: -775n,
      cash_applied: -200n,
      card_charged: -5025n,
    });
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });

    // A renewal whose card is declined at every dunning retry: the 500 credits it took come back when it lapses.
    await giveCredits(t.db, userId, 500n, at("2027-02-01T00:00:00Z"));
    pay.willFail();
    const s = await liveSub(t.db, userId);
    expect(await renewSubscription({ db: t.db, now: at("2027-02-20T00:00:00Z"), port: pay.port }, s.id)).toBe(
      "past_due",
    );
    const overdue = await t.db.invoice.findFirstOrThrow({
      where: { subscriptionId: s.id, kind: "renewal", status: "open" },
    });
    for (const day of ["2027-02-21", "2027-02-23", "2027-02-25"])
      await retryOverdueRenewals({ db: t.db, now: at(`${day}T00:00:00Z`), port: pay.port }, [overdue.id]);
    expect(await renewSubscription({ db: t.db, now: at("2027-02-26T00:00:00Z"), port: pay.port }, s.id)).toBe(
      "not_due",
    );
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 500n, cashMinor: 0n });

    expect(await balanceMismatches(t.db)).toEqual([]);
    expect(await unbalancedTransactions(t.db)).toEqual([]);
    // Double entry: all entries of a currency sum to zero.
    const totals = await t.db.$queryRaw<{ currency: string; total: bigint }[]>`
      SELECT a."currency", SUM(e."amount_minor")::bigint AS "total" FROM "ledger_entries" e
      JOIN "ledger_accounts" a ON a."id" = e."account_id" GROUP BY a."currency" ORDER BY a."currency"`;
    expect(totals.filter((r) => r.total !== 0n)).toEqual([]);
    // The user's balances, derived from their entries.
    const derived = await t.db.$queryRaw<{ kind: string; sum: bigint }[]>`
      SELECT a."kind"::text AS "kind", SUM(e."amount_minor")::bigint AS "sum" FROM "ledger_entries" e
      JOIN "ledger_accounts" a ON a."id" = e."account_id" WHERE a."user_id" = ${userId}::uuid GROUP BY a."kind" ORDER BY a."kind"`;
    expect(derived).toEqual([
      { kind: "user_credits", sum: 500n },
      { kind: "user_cash", sum: 0n },
    ]);
  });

  it("WALLET-3: the database refuses direct writes to balances and any change to ledger history", async () => {
    const now = at("2027-01-06T00:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 100n, now);
    await expect(
      t.db
        .$executeRaw`UPDATE "ledger_accounts" SET "balance_minor" = "balance_minor" + 1000 WHERE "user_id" = ${userId}::uuid`,
    ).rejects.toThrow(/derived from entries/);
    await expect(
      t.db
        .$executeRaw`UPDATE "ledger_entries" SET "amount_minor" = "amount_minor" * 2 WHERE "account_id" IN (SELECT "id" FROM "ledger_accounts" WHERE "user_id" = ${userId}::uuid)`,
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db
        .$executeRaw`DELETE FROM "ledger_entries" WHERE "account_id" IN (SELECT "id" FROM "ledger_accounts" WHERE "user_id" = ${userId}::uuid)`,
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db.$executeRaw`UPDATE "ledger_transactions" SET "memo" = 'edited' WHERE "user_id" = ${userId}::uuid`,
    ).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRaw`DELETE FROM "ledger_transactions" WHERE "user_id" = ${userId}::uuid`).rejects.toThrow(
      /append-only/,
    );
    // Through the ORM as well.
    await expect(t.db.ledgerAccount.updateMany({ where: { userId }, data: { balanceMinor: 0n } })).rejects.toThrow(
      /derived from entries/,
    );

    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 100n, cashMinor: 0n });
    expect(await t.db.ledgerEntry.count({ where: { account: { userId } } })).toBe(1);
  });
});

describe("wallet", () => {
  it("WALLET-2: granted credits pay for a subscription", async () => {
    const now = at("2027-01-07T00:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 1500n, now);
    const outcome = await subscribe(
      { db: t.db, now, port: noProcessor },
      { userId, tier: "pro", cycle: "monthly", requestId: "r" },
    );
    expect(outcome.status).toBe("paid");
    expect(await linesOf(t.db, outcome.invoiceId)).toEqual({
      plan: 3000n,
      first_order_discount: -1500n,
      credits_applied: -1500n,
    });
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
    expect((await liveSub(t.db, userId)).tier).toBe("pro");
  });

  it("WALLET-4: a top-up through the payment method adds cash, and a replay of it adds nothing more", async () => {
    const now = at("2027-01-08T00:00:00Z");
    const userId = await makeUser(t.db, now);
    const pay = fakePayments();
    const spy = spyPort(pay.port);
    const input = { userId, amountMinor: 2000n, requestId: "topup-1" };

    const outcome = await topUp({ db: t.db, now, port: spy.port }, input);
    expect(outcome.status).toBe("paid");
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } });
    expect(invoice).toMatchObject({
      kind: "top_up",
      status: "paid",
      totalMinor: 2000n,
      cardMinor: 2000n,
      subscriptionId: null,
    });
    expect(await linesOf(t.db, invoice.id)).toEqual({ top_up: 2000n, card_charged: -2000n });
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 2000n });
    expect(spy.calls.map((c) => [c.method, c.req.idempotencyKey, c.req.amountMinor])).toEqual([
      ["startOnSession", `invoice:${invoice.id}`, 2000n],
    ]);

    const replay = await topUp({ db: t.db, now, port: spy.port }, input);
    expect(replay).toEqual(outcome);
    expect(await t.db.invoice.count({ where: { userId } })).toBe(1);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 2000n });
    expect(pay.charges.size).toBe(1);
  });

  it("WALLET-4: with no payment processor a top-up is refused (card_unavailable) and changes nothing", async () => {
    const now = at("2027-01-09T00:00:00Z");
    const userId = await makeUser(t.db, now);
    const txBefore = await t.db.ledgerTransaction.count();
    const err = await refusal(
      topUp({ db: t.db, now, port: noProcessor }, { userId, amountMinor: 2000n, requestId: "x" }),
    );
    expect(err).toBeInstanceOf(BillingError);
    // The brief named this refusal `payment_failed`; lib/billing/top-up.ts now raises `card_unavailable`.
    expect(err.code).toBe("card_unavailable");
    expect(await t.db.invoice.count({ where: { userId } })).toBe(0);
    expect(await t.db.ledgerTransaction.count()).toBe(txBefore);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
  });

  it("WALLET-4: a top-up below the card minimum or above the ceiling is refused; a declined card adds nothing", async () => {
    const now = at("2027-01-10T00:00:00Z");
    const userId = await makeUser(t.db, now);
    const pay = fakePayments();
    const deps = { db: t.db, now, port: pay.port };
    expect((await refusal(topUp(deps, { userId, amountMinor: 49n, requestId: "a" }))).code).toBe("top_up_too_small");
    expect((await refusal(topUp(deps, { userId, amountMinor: 1_000_001n, requestId: "b" }))).code).toBe(
      "top_up_too_large",
    );
    expect(await t.db.invoice.count({ where: { userId } })).toBe(0);

    pay.willFail();
    const declined = await topUp(deps, { userId, amountMinor: 50n, requestId: "c" });
    expect(declined).toMatchObject({ status: "failed", code: "card_declined" });
    expect((await t.db.invoice.findUniqueOrThrow({ where: { id: declined.invoiceId } })).status).toBe("void");
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });

    pay.willSucceed();
    expect((await topUp(deps, { userId, amountMinor: 50n, requestId: "d" })).status).toBe("paid");
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 50n });
  });
});
