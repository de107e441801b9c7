import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pricingView, quotePurchase, subscribe, upgrade } from "../../lib/billing";
import { noProcessor } from "../../lib/payments/no-processor";
import { at, giveCredits, makeUser } from "../support/billing";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();

describe("quotes before paying", () => {
  it("SUB-8: a sold-out tier shows as sold out with the next release before any payment, and the other tiers stay on sale", async () => {
    const now = at("2027-05-01T03:00:00Z"); // 11:00 in Shanghai: the stock day began at 02:00Z
    await t.db.stockDay.create({ data: { tier: "max", dayStart: at("2027-05-01T02:00:00Z"), capacity: 3, sold: 3 } });
    const view = await pricingView(t.db, "intl", now);
    expect(view.plans.map((p) => [p.tier, p.stock.remaining])).toEqual([
      ["lite", 500],
      ["pro", 500],
      ["max", 0],
    ]);
    expect(view.nextRelease).toEqual(at("2027-05-02T02:00:00Z"));
    const userId = await makeUser(t.db, now);
    const quote = await quotePurchase(
      { db: t.db, now, port: noProcessor },
      { userId, region: "intl", tier: "max", cycle: "monthly" },
    );
    expect(quote).toEqual({ ok: false, error: "sold_out", params: { nextRelease: "2027-05-02T02:00:00.000Z" } });
  });

  it("SUB-4: the upgrade quote shown before confirming is exactly what the upgrade charges", async () => {
    const start = at("2027-04-01T00:00:00Z");
    const userId = await makeUser(t.db, start);
    await giveCredits(t.db, userId, 10_000n, start);
    const deps = { db: t.db, port: noProcessor };
    await subscribe({ ...deps, now: start }, { userId, tier: "lite", cycle: "monthly", requestId: randomUUID() });
    const now = at("2027-04-11T07:13:29Z");
    const quote = await quotePurchase({ ...deps, now }, { userId, region: "intl", tier: "pro", cycle: "monthly" });
    if (!quote.ok) throw new Error(quote.error);
    expect(quote.kind).toBe("upgrade");
    const outcome = await upgrade({ ...deps, now }, { userId, tier: "pro", cycle: "monthly", requestId: randomUUID() });
    const invoice = await t.db.invoice.findUniqueOrThrow({
      where: { id: outcome.invoiceId },
      include: { lines: { orderBy: { id: "asc" } } },
    });
    expect(invoice.totalMinor).toBe(quote.totalMinor);
    expect(invoice.lines.map((l) => [l.kind, l.amountMinor])).toEqual(quote.lines.map((l) => [l.kind, l.amountMinor]));
    // 300 paid for 30 days; 19 d 16 h 46 m 31 s left → ceil(300 × 1701991 / 2592000) = 197.
    expect(quote.lines.find((l) => l.kind === "proration_credit")?.amountMinor).toBe(-197n);
  });

  it("WALLET-1: a quote the wallet cannot cover, with no card processor, says so before the purchase is tried", async () => {
    const now = at("2027-04-01T00:00:00Z");
    const userId = await makeUser(t.db, now);
    await giveCredits(t.db, userId, 1000n, now);
    const quote = await quotePurchase(
      { db: t.db, now, port: noProcessor },
      { userId, region: "intl", tier: "pro", cycle: "monthly" },
    );
    expect(quote).toMatchObject({ ok: true, kind: "subscribe", totalMinor: 1500n, cardMinor: 500n, payable: false });
  });
});
