import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { refundPayment, renewSubscription, subscribe, syncProcessorRefunds } from "../../lib/billing";
import type { Tx } from "../../lib/db";
import { post, system, userCash } from "../../lib/ledger";
import { noProcessor } from "../../lib/payments/no-processor";
import { at, balanceMismatches, giveCash, giveCredits, liveSub, makeUser, wallet } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();
const RENEW_AT = at("2027-04-01T00:00:00Z");
const PERIOD_END = at("2027-05-01T00:00:00Z");
const REFUND_AT = at("2027-04-11T00:00:00Z");

/**
 * A Pro monthly subscriber (3000) whose renewal on 2027-04-01 leaves `remainder`
 * for the card after `cashMinor` of cash and the rest in credits; the card is
 * charged at least the card minimum (50), the excess going to the cash
 * balance (WALLET-1).
 */
async function renewedWithCard(remainder: bigint, cashMinor: bigint) {
  const t0 = at("2027-03-01T00:00:00Z");
  const userId = await makeUser(t.db, t0);
  await giveCredits(t.db, userId, 1500n, t0);
  await subscribe(
    { db: t.db, now: t0, port: noProcessor },
    { userId, tier: "pro", cycle: "monthly", requestId: "first" },
  );
  const pay = fakePayments();
  const creditsMinor = 3000n - remainder - cashMinor;
  if (creditsMinor > 0n) await giveCredits(t.db, userId, creditsMinor, at("2027-03-20T00:00:00Z"));
  if (cashMinor > 0n) await giveCash(t.db, pay.port, userId, cashMinor, at("2027-03-20T00:00:00Z"));
  const sub = await liveSub(t.db, userId);
  expect(await renewSubscription({ db: t.db, now: RENEW_AT, port: pay.port }, sub.id)).toBe("renewed");
  const payment = await t.db.payment.findFirstOrThrow({
    where: { invoice: { subscriptionId: sub.id, kind: "renewal" }, status: "succeeded" },
  });
  const deps = { db: t.db, now: REFUND_AT, port: pay.port };
  return { userId, sub, payment, deps, admin: await makeUser(t.db, t0) };
}

/** The cash balance spent elsewhere (pay-as-you-go fees, say), so a refund finds less of the excess there. */
async function spendCash(userId: string, amountMinor: bigint) {
  await t.db.$transaction((tx) =>
    post(tx as Tx, {
      idempotencyKey: `test-spend:${randomUUID()}`,
      kind: "test_spend",
      userId,
      at: REFUND_AT,
      entries: [
        { account: userCash(userId, "USD"), amountMinor: -amountMinor },
        { account: system("revenue", "USD"), amountMinor },
      ],
    }),
  );
}

/** What this user's refunds booked against revenue (the refunds account). */
async function refundsBookedAgainstRevenue(userId: string) {
  const rows = await t.db.$queryRaw<{ sum: bigint | null }[]>`
    SELECT SUM(e."amount_minor")::bigint AS "sum" FROM "ledger_entries" e
    JOIN "ledger_accounts" a ON a."id" = e."account_id" JOIN "ledger_transactions" x ON x."id" = e."transaction_id"
    WHERE a."kind" = 'refunds' AND x."user_id" = ${userId}::uuid`;
  return -(rows[0].sum ?? 0n);
}

describe("REFUND-1: a refund reverses each part of the card charge", () => {
  it("REFUND-1: WALLET-1's 0.50 charge with 0.30 to cash, refunded whole: 0.30 leaves the cash balance, 0.20 is booked against revenue, and the period loses only 0.20/30.00 of its length", async () => {
    const { userId, sub, payment, deps, admin } = await renewedWithCard(20n, 1980n);
    expect(payment.amountMinor).toBe(50n);
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 30n });
    await refundPayment(deps, { paymentId: payment.id, amountMinor: 50n, reason: "outage", actorId: admin });

    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
    expect(await refundsBookedAgainstRevenue(userId)).toBe(20n);
    expect(await t.db.refund.findFirstOrThrow({ where: { paymentId: payment.id } })).toMatchObject({
      status: "succeeded",
      excessMinor: 30n,
      shortfallMinor: 0n,
    });
    // 30 days × 20/3000 = 17,280 s (4 h 48 min) off the end; 29.80 remains paid for the period.
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({
      status: "active",
      periodEnd: new Date(PERIOD_END.getTime() - 17_280_000),
      periodPaidMinor: 2980n,
    });
    const note = await t.db.creditNote.findFirstOrThrow({
      where: { invoiceId: payment.invoiceId },
      include: { lines: { orderBy: { id: "asc" } } },
    });
    expect(note.lines.map((l) => [l.kind, l.amountMinor])).toEqual([
      ["plan", 20n],
      ["excess_to_cash", 30n],
    ]);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("REFUND-1: when 0.20 of the 0.30 excess was spent, the refund takes the 0.10 left (never below zero) and records the 0.20 shortfall", async () => {
    const { userId, payment, deps, admin } = await renewedWithCard(20n, 1980n);
    await spendCash(userId, 20n);
    await refundPayment(deps, { paymentId: payment.id, amountMinor: 50n, reason: "outage", actorId: admin });
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
    expect(await t.db.refund.findFirstOrThrow({ where: { paymentId: payment.id } })).toMatchObject({
      excessMinor: 30n,
      shortfallMinor: 20n,
    });
    expect(await refundsBookedAgainstRevenue(userId)).toBe(40n);
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { action: "payment.refund", subjectId: payment.id } });
    expect(audit.after).toMatchObject({ excessMinor: "30", shortfallMinor: "20" });
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("REFUND-1: a refund made at the processor (charge.refunded) splits the same way: the excess out of cash, a credit note issued", async () => {
    const { userId, sub, payment, deps } = await renewedWithCard(20n, 1980n);
    expect(
      await syncProcessorRefunds(deps, {
        providerPaymentId: payment.providerPaymentId!,
        amountRefundedMinor: 50n,
        refunds: [],
      }),
    ).toBe("recorded");
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
    expect(await refundsBookedAgainstRevenue(userId)).toBe(20n);
    expect(await t.db.subscription.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({
      periodEnd: new Date(PERIOD_END.getTime() - 17_280_000),
      periodPaidMinor: 2980n,
    });
    expect(await t.db.creditNote.count({ where: { invoiceId: payment.invoiceId } })).toBe(1);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("REFUND-1: for any card charge and any sequence of partial refunds and spending, the ledger and the period agree with a simple reference model", async () => {
    const op = fc.oneof(
      fc.record({ refund: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
      fc.record({ spend: fc.double({ min: 0, max: 1, noNaN: true }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(op, { minLength: 1, maxLength: 4 }),
        async (r, cashShare, ops) => {
          const remainder = BigInt(r);
          const cashRaw = BigInt(Math.floor(Number(3000n - remainder) * cashShare));
          const { userId, sub, payment, deps, admin } = await renewedWithCard(remainder, cashRaw < 50n ? 0n : cashRaw);

          // The reference model: the excess leaves in proportion to the charge refunded (running total, rounded down),
          // out of what cash is left; the rest of each refund shortens the period by its share of what the period cost.
          const card = remainder > 50n ? remainder : 50n;
          const excess = card - remainder;
          const m = {
            cash: excess,
            refunded: 0n,
            excessBack: 0n,
            shortfall: 0n,
            revenue: 0n,
            end: PERIOD_END.getTime(),
            paid: 3000n,
            ended: false,
          };
          for (const o of ops) {
            if ("spend" in o) {
              const s = BigInt(Math.floor(Number(m.cash) * o.spend));
              if (s > 0n) await spendCash(userId, s);
              m.cash -= s;
              continue;
            }
            const rest = card - m.refunded;
            if (rest === 0n) continue;
            const amount = BigInt(Math.max(1, Math.floor(Number(rest) * o.refund)));
            await refundPayment(deps, {
              paymentId: payment.id,
              amountMinor: amount,
              reason: "property",
              actorId: admin,
            });
            const excessPart = ((m.refunded + amount) * excess) / card - m.excessBack;
            const take = excessPart < m.cash ? excessPart : m.cash;
            m.refunded += amount;
            m.excessBack += excessPart;
            m.cash -= take;
            m.shortfall += excessPart - take;
            m.revenue += amount - take;
            const plan = amount - excessPart;
            if (plan > 0n && !m.ended) {
              if (plan >= m.paid) m.ended = true;
              else {
                const lengthS = BigInt(Math.floor((m.end - RENEW_AT.getTime()) / 1000));
                m.end -= Number((lengthS * plan + m.paid - 1n) / m.paid) * 1000;
                if (m.end <= REFUND_AT.getTime()) m.ended = true;
                else m.paid -= plan;
              }
            }
          }

          expect((await wallet(t.db, userId)).cashMinor).toBe(m.cash);
          expect(await refundsBookedAgainstRevenue(userId)).toBe(m.revenue);
          const refunds = await t.db.refund.findMany({ where: { paymentId: payment.id } });
          expect([
            refunds.reduce((s, x) => s + x.excessMinor, 0n),
            refunds.reduce((s, x) => s + x.shortfallMinor, 0n),
          ]).toEqual([m.excessBack, m.shortfall]);
          const after = await t.db.subscription.findUniqueOrThrow({ where: { id: sub.id } });
          if (m.ended) expect(after.status).toBe("expired");
          else
            expect([after.status, after.periodEnd.getTime(), after.periodPaidMinor]).toEqual(["active", m.end, m.paid]);
          const lines = await t.db.creditNoteLine.findMany({ where: { creditNote: { invoiceId: payment.invoiceId } } });
          expect(lines.reduce((s, l) => s + l.amountMinor, 0n)).toBe(m.refunded);
          expect(await balanceMismatches(t.db)).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
