import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { refundPayment, subscribe, topUp } from "../../lib/billing";
import { at, balanceMismatches, makeUser } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();

/** Every series is exactly 1..last: no gap, no duplicate, nothing past the counter. */
async function seriesAreGapless() {
  const series = await t.db.documentSeries.findMany();
  const numbers = [
    ...(await t.db.invoice.findMany({ where: { legalNumber: { not: null } }, select: { legalNumber: true } })).map(
      (i) => i.legalNumber!,
    ),
    ...(await t.db.creditNote.findMany({ select: { number: true } })).map((c) => c.number),
  ];
  for (const s of series) {
    const prefix = `${s.region.toUpperCase()}${s.kind === "credit_note" ? "-CR" : ""}-${s.year}-`;
    const seqs = numbers
      .filter((n) => n.startsWith(prefix) && /^\d{6}$/.test(n.slice(prefix.length)))
      .map((n) => Number(n.slice(prefix.length)));
    expect(
      seqs.sort((a, b) => a - b),
      prefix,
    ).toEqual(Array.from({ length: s.last }, (_, i) => i + 1));
  }
  expect(new Set(numbers).size).toBe(numbers.length);
  return series;
}

async function paidTopUp(userId: string, now: Date, pay = fakePayments()) {
  const outcome = await topUp(
    { db: t.db, now, port: pay.port },
    { userId, amountMinor: 1000n, requestId: randomUUID() },
  );
  return t.db.invoice.findUniqueOrThrow({ where: { id: (outcome as { invoiceId: string }).invoiceId } });
}

describe("INV-1: gapless invoice numbers per region and year", () => {
  it("INV-1: 50 invoices finalized at once (40 international, 10 China-site) take 1..40 and 1..10 of their series: no gap, no duplicate", async () => {
    const now = at("2027-03-01T08:00:00Z");
    const users = await Promise.all(
      Array.from({ length: 50 }, (_, i) => makeUser(t.db, now, { region: i < 40 ? "intl" : "cn" })),
    );
    const invoices = await Promise.all(users.map((u) => paidTopUp(u, now)));
    expect(invoices.every((i) => i.status === "paid")).toBe(true);
    const intl = invoices
      .filter((i) => i.currency === "USD")
      .map((i) => i.legalNumber!)
      .sort();
    const cn = invoices
      .filter((i) => i.currency === "CNY")
      .map((i) => i.legalNumber!)
      .sort();
    expect(intl).toEqual(Array.from({ length: 40 }, (_, i) => `INTL-2027-${String(i + 1).padStart(6, "0")}`));
    expect(cn).toEqual(Array.from({ length: 10 }, (_, i) => `CN-2027-${String(i + 1).padStart(6, "0")}`));
    expect((await seriesAreGapless()).map((s) => [s.kind, s.region, s.year, s.last]).sort()).toEqual([
      ["invoice", "cn", 2027, 10],
      ["invoice", "intl", 2027, 40],
    ]);
  });

  it("INV-1: a declined (void) or unfinished (open) invoice takes no number; the next paid one continues the series", async () => {
    const now = at("2027-03-02T08:00:00Z");
    const userId = await makeUser(t.db, now);
    const pay = fakePayments();
    const before = (
      await t.db.documentSeries.findFirstOrThrow({ where: { kind: "invoice", region: "intl", year: 2027 } })
    ).last;
    pay.willFail();
    const declined = await paidTopUp(userId, now, pay);
    pay.willRequireAction();
    const waiting = await paidTopUp(userId, now, pay);
    expect([declined.status, declined.legalNumber, waiting.status, waiting.legalNumber]).toEqual([
      "void",
      null,
      "open",
      null,
    ]);
    pay.willSucceed();
    const paid = await paidTopUp(userId, now, pay);
    expect(paid.legalNumber).toBe(`INTL-2027-${String(before + 1).padStart(6, "0")}`);
    await seriesAreGapless();
    // The database refuses a legal number on an invoice that is not paid.
    await expect(
      t.db.invoice.update({ where: { id: waiting.id }, data: { legalNumber: "INTL-2027-999999" } }),
    ).rejects.toThrow();
  });

  it("INV-1: the year is the region's: at 2027-12-31 17:00 UTC a China-site invoice opens CN-2028 (Asia/Shanghai) while an international one is still INTL-2027 (UTC)", async () => {
    const now = at("2027-12-31T17:00:00Z");
    const cn = await paidTopUp(await makeUser(t.db, now, { region: "cn" }), now);
    const intl = await paidTopUp(await makeUser(t.db, now), now);
    expect(cn.legalNumber).toBe("CN-2028-000001");
    expect(intl.legalNumber).toMatch(/^INTL-2027-\d{6}$/);
    await seriesAreGapless();
  });
});

describe("INV-1: a refund issues a credit note", () => {
  it("INV-1: each refund that goes through issues a credit note in its own series, with the lines it reverses and its invoice's reference; refunds at once stay gapless", async () => {
    const now = at("2027-04-01T00:00:00Z");
    const pay = fakePayments();
    const admin = await makeUser(t.db, now);
    const subscribers = await Promise.all(Array.from({ length: 6 }, () => makeUser(t.db, now)));
    const invoiceIds = [];
    for (const userId of subscribers)
      invoiceIds.push(
        (await subscribe({ db: t.db, now, port: pay.port }, { userId, tier: "pro", cycle: "monthly", requestId: "s" }))
          .invoiceId,
      );
    const payments = await Promise.all(
      invoiceIds.map((invoiceId) => t.db.payment.findFirstOrThrow({ where: { invoiceId, status: "succeeded" } })),
    );
    const when = at("2027-04-05T00:00:00Z");
    await Promise.all(
      payments.map((p) =>
        refundPayment(
          { db: t.db, now: when, port: pay.port },
          { paymentId: p.id, amountMinor: 300n, reason: "outage", actorId: admin },
        ),
      ),
    );

    const notes = await t.db.creditNote.findMany({
      include: { lines: true, invoice: true, refund: true },
      orderBy: { number: "asc" },
    });
    expect(notes.map((n) => n.number)).toEqual(
      Array.from({ length: 6 }, (_, i) => `INTL-CR-2027-${String(i + 1).padStart(6, "0")}`),
    );
    for (const n of notes) {
      expect(n).toMatchObject({
        amountMinor: 300n,
        currency: "USD",
        issuedAt: when,
        refund: { status: "succeeded", amountMinor: 300n },
      });
      expect(n.invoice.legalNumber).toMatch(/^INTL-2027-\d{6}$/);
      expect(n.lines.map((l) => [l.kind, l.amountMinor])).toEqual([["plan", 300n]]);
    }
    // A second refund of the same payment has a note of its own.
    await refundPayment(
      { db: t.db, now: when, port: pay.port },
      { paymentId: payments[0].id, amountMinor: 100n, reason: "again", actorId: admin },
    );
    expect(await t.db.creditNote.count({ where: { invoiceId: payments[0].invoiceId } })).toBe(2);
    await seriesAreGapless();
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("INV-1: a refund the processor refuses takes no credit-note number", async () => {
    const now = at("2027-04-06T00:00:00Z");
    const pay = fakePayments();
    const userId = await makeUser(t.db, now);
    const { invoiceId } = await subscribe(
      { db: t.db, now, port: pay.port },
      { userId, tier: "pro", cycle: "monthly", requestId: "s" },
    );
    const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId, status: "succeeded" } });
    const refusing = { ...pay.port, refund: async () => ({ status: "failed" as const, code: "charge_disputed" }) };
    const before = await t.db.creditNote.count();
    await expect(
      refundPayment(
        { db: t.db, now, port: refusing },
        { paymentId: payment.id, amountMinor: 100n, reason: "outage", actorId: userId },
      ),
    ).rejects.toMatchObject({ code: "refund_failed" });
    expect(await t.db.creditNote.count()).toBe(before);
    await seriesAreGapless();
  });
});
