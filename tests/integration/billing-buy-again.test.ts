import { describe, expect, it } from "vitest";
import { quotePurchase, subscribe, upgrade } from "../../lib/billing";
import {
  at,
  balanceMismatches,
  linesOf,
  liveSub,
  makeUser,
  refusal,
  unbalancedTransactions,
  wallet,
} from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();

// 2027-04-01 00:00 UTC is 08:00 in Shanghai: the stock day began on 03-31 at 02:00Z; 04-11 00:00Z is in 04-10's.
const stockRow = (tier: "lite" | "pro" | "max", dayStart: Date) =>
  t.db.stockDay.findUnique({ where: { tier_dayStart: { tier, dayStart } } });

/** The invoice's ledger transactions, each as its kind and the amount it raised balances by. */
async function ledgerEntriesOf(invoiceId: string) {
  const txs = await t.db.ledgerTransaction.findMany({ where: { invoiceId }, include: { entries: true } });
  return txs.map((x) => ({
    kind: x.kind,
    amountMinor: x.entries.reduce((s, e) => (e.amountMinor > 0n ? s + e.amountMinor : s), 0n),
  }));
}

/** Pro monthly bought on 04-01 by card: 30.00 less the first-order 50 % = 15.00 paid for 04-01 → 05-01 (30 days). */
async function proSubscriber(pay = fakePayments()) {
  const start = at("2027-04-01T00:00:00Z");
  const userId = await makeUser(t.db, start);
  const first = await subscribe(
    { db: t.db, now: start, port: pay.port },
    { userId, tier: "pro", cycle: "monthly", requestId: "first" },
  );
  expect(first.status).toBe("paid");
  const sub = await liveSub(t.db, userId);
  expect(sub.periodPaidMinor).toBe(1500n);
  return { userId, sub, pay };
}

describe("buying again (SUB-6)", () => {
  it("SUB-6: Pro monthly paid 15.00 for 04-01 → 05-01; Lite monthly (6.00) bought on 04-11 → unused 10.00, nothing to pay, 4.00 to cash, old plan voided, new period 04-11 → 05-11", async () => {
    const { userId, sub, pay } = await proSubscriber();
    const now = at("2027-04-11T00:00:00Z");
    const deps = { db: t.db, now, port: pay.port };

    const quote = await quotePurchase(deps, { userId, region: "intl", tier: "lite", cycle: "monthly" });
    expect(quote).toMatchObject({
      ok: true,
      kind: "buy_again",
      totalMinor: 0n,
      cardMinor: 0n,
      replaces: { tier: "pro", cycle: "monthly" },
      periodEnd: at("2027-05-11T00:00:00Z"),
    });

    const outcome = await subscribe(deps, { userId, tier: "lite", cycle: "monthly", requestId: "again" });
    expect(outcome.status).toBe("paid");
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } });
    expect(invoice).toMatchObject({
      kind: "upgrade",
      status: "paid",
      subscriptionId: sub.id,
      tier: "lite",
      totalMinor: 0n,
      cardMinor: 0n,
    });
    // The preview's lines are the invoice's.
    expect(
      quote.ok &&
        Object.fromEntries(quote.lines.filter((l) => l.amountMinor !== 0n).map((l) => [l.kind, l.amountMinor])),
    ).toEqual(await linesOf(t.db, invoice.id));
    expect(await linesOf(t.db, invoice.id)).toEqual({ plan: 600n, proration_credit: -1000n, excess_to_cash: 400n });
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 400n });
    expect(await ledgerEntriesOf(invoice.id)).toContainEqual({ kind: "proration_excess", amountMinor: 400n });
    expect(await liveSub(t.db, userId)).toMatchObject({
      id: sub.id,
      tier: "lite",
      cycle: "monthly",
      periodStart: now,
      periodEnd: at("2027-05-11T00:00:00Z"),
      periodPaidMinor: 600n,
    });
    expect(pay.charges.size).toBe(1); // only the first order went to the card
    // A lower tier is a sale from today's stock (SUB-8), as a new subscription is.
    expect(await stockRow("lite", at("2027-04-10T02:00:00Z"))).toMatchObject({ sold: 1 });
    expect(await unbalancedTransactions(t.db)).toEqual([]);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("SUB-6: the same plan again mid-cycle (SUB-4 rounding: 15.00 × 1/3 left = 5.00) pays 30.00 − 5.00 = 25.00 by card and starts a new period", async () => {
    const { userId, sub, pay } = await proSubscriber();
    const now = at("2027-04-21T00:00:00Z"); // 10 of 30 days left
    const outcome = await subscribe(
      { db: t.db, now, port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: "same" },
    );
    expect(outcome.status).toBe("paid");
    expect(await linesOf(t.db, outcome.invoiceId)).toEqual({
      plan: 3000n,
      proration_credit: -500n,
      card_charged: -2500n,
    });
    expect(pay.charges.get(`invoice:${outcome.invoiceId}`)?.req.amountMinor).toBe(2500n);
    expect(await liveSub(t.db, userId)).toMatchObject({
      id: sub.id,
      tier: "pro",
      periodStart: now,
      periodEnd: at("2027-05-21T00:00:00Z"),
      periodPaidMinor: 3000n,
    });
  });

  it("SUB-6: another cycle of the same tier, bought now, replaces the plan at once instead of waiting for the renewal", async () => {
    const { userId, pay } = await proSubscriber();
    const now = at("2027-04-16T00:00:00Z"); // 15 of 30 days left: unused 7.50
    const outcome = await subscribe(
      { db: t.db, now, port: pay.port },
      { userId, tier: "pro", cycle: "yearly", requestId: "yearly" },
    );
    expect(outcome.status).toBe("paid");
    const lines = await linesOf(t.db, outcome.invoiceId);
    expect(lines.proration_credit).toBe(-750n);
    expect(await liveSub(t.db, userId)).toMatchObject({
      cycle: "yearly",
      periodStart: now,
      periodEnd: at("2028-04-16T00:00:00Z"),
    });
  });

  it("SUB-6/SUB-8: a lower tier that is sold out today is refused sold_out before payment and changes nothing; an upgrade is still sold", async () => {
    const { userId, sub, pay } = await proSubscriber();
    const now = at("2027-04-11T00:00:00Z");
    const dayStart = at("2027-04-10T02:00:00Z");
    for (const tier of ["lite", "max"] as const)
      await t.db.stockDay.upsert({
        where: { tier_dayStart: { tier, dayStart } },
        create: { tier, dayStart, capacity: 2, sold: 2 },
        update: { capacity: 2, sold: 2 },
      });
    const deps = { db: t.db, now, port: pay.port };
    expect(await quotePurchase(deps, { userId, region: "intl", tier: "lite", cycle: "monthly" })).toMatchObject({
      ok: false,
      error: "sold_out",
    });
    expect((await refusal(subscribe(deps, { userId, tier: "lite", cycle: "monthly", requestId: "x" }))).code).toBe(
      "sold_out",
    );
    expect(await liveSub(t.db, userId)).toMatchObject({ id: sub.id, tier: "pro", periodPaidMinor: 1500n });
    expect(await t.db.invoice.count({ where: { userId } })).toBe(1);

    expect(await quotePurchase(deps, { userId, region: "intl", tier: "max", cycle: "monthly" })).toMatchObject({
      ok: true,
      kind: "upgrade",
    });
    expect((await subscribe(deps, { userId, tier: "max", cycle: "monthly", requestId: "up" })).status).toBe("paid");
    expect(await stockRow("max", dayStart)).toMatchObject({ sold: 2 });
    expect((await liveSub(t.db, userId)).tier).toBe("max");
  });

  it("SUB-6/SUB-8: a declined card leaves the old plan in place, voids the order and gives its stock unit back", async () => {
    const { userId, sub, pay } = await proSubscriber();
    const now = at("2027-04-11T00:00:00Z");
    pay.willFail();
    const outcome = await subscribe(
      { db: t.db, now, port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: "declined" },
    );
    expect(outcome).toMatchObject({ status: "failed", code: "card_declined" });
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "void",
    });
    expect(await liveSub(t.db, userId)).toMatchObject({
      id: sub.id,
      periodStart: sub.periodStart,
      periodEnd: sub.periodEnd,
      periodPaidMinor: 1500n,
    });
    expect(await stockRow("pro", at("2027-04-10T02:00:00Z"))).toMatchObject({ sold: 0 });
    expect(await wallet(t.db, userId)).toEqual({ creditsMinor: 0n, cashMinor: 0n });
  });

  it("SUB-4: the upgrade path still refuses a lower tier (buying it goes through subscribe, SUB-6)", async () => {
    const { userId, pay } = await proSubscriber();
    const err = await refusal(
      upgrade(
        { db: t.db, now: at("2027-04-11T00:00:00Z"), port: pay.port },
        { userId, tier: "lite", cycle: "monthly", requestId: "u" },
      ),
    );
    expect(err.code).toBe("not_an_upgrade");
  });
});
