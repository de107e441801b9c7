import { describe, expect, it } from "vitest";
import { expireAbandonedPayments, subscribe } from "../../lib/billing";
import { at, balanceMismatches, gatedPort, makeUser, wallet } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();

// Found by the chaos run (tests/chaos): the test clock jumped a day while a subscribe call's charge was on
// its way, the worker's sweep gave the order up, and the charge then went through. The money was kept as
// cash (right), but the customer was told "paid" for a subscription that never started.
describe("a charge that lands after its order was given up", () => {
  it("REL-1: the customer is told the money went to the cash balance, not that the order is paid", async () => {
    const now = at("2027-03-10T12:00:00Z");
    const userId = await makeUser(t.db, now);
    const fake = fakePayments();
    const gated = gatedPort(fake.port);

    const ordering = subscribe(
      { db: t.db, now, port: gated.port },
      { userId, tier: "lite", cycle: "monthly", requestId: "r1" },
    );
    await gated.arrived(1);
    // Meanwhile the worker's sweep, 31 minutes on, finds the payment still waiting and gives the order up.
    expect(
      await expireAbandonedPayments({ db: t.db, now: new Date(now.getTime() + 31 * 60_000), port: fake.port }),
    ).toBe(1);
    gated.release();
    const outcome = await ordering;

    expect(outcome).toMatchObject({ status: "failed", code: "late_payment_credited" });
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } });
    expect(invoice.status).toBe("void");
    expect(await t.db.subscription.count({ where: { userId } })).toBe(0);
    expect((await wallet(t.db, userId)).cashMinor).toBe(invoice.cardMinor);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });
});
