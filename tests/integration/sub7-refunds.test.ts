import { describe, expect, it } from "vitest";
import { cardPaymentsOf, refundPayment, subscribe, type BillingDeps } from "../../lib/billing";
import { at, balanceMismatches, billingState, makeUser, refusal } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();

/** A subscriber of the given region who paid a Pro monthly plan by card, with the card payment. */
async function paidSubscriber(now: Date, region: "intl" | "cn") {
  const pay = fakePayments();
  const deps: BillingDeps = { db: t.db, now, port: pay.port };
  const userId = await makeUser(t.db, now, { region });
  expect((await subscribe(deps, { userId, tier: "pro", cycle: "monthly", requestId: "first" })).status).toBe("paid");
  const payment = await t.db.payment.findFirstOrThrow({ where: { invoice: { userId }, status: "succeeded" } });
  return { userId, payment, deps, pay };
}

/** Everything a refund could touch: the customer's billing rows, refunds, the payment and every ledger movement. */
async function refundState(userId: string, paymentId: string, now: Date) {
  const [billing, refunds, payment, entries] = await Promise.all([
    billingState(t.db, userId, now),
    t.db.refund.count(),
    t.db.payment.findUniqueOrThrow({ where: { id: paymentId } }),
    t.db.ledgerEntry.count(),
  ]);
  return { billing, refunds, payment, entries };
}

describe("SUB-7: China-site payments are never refunded", () => {
  it("SUB-7: an admin refund of a China-site (CNY) payment is refused with a reason and changes nothing (ledger, subscription, invoices, payment)", async () => {
    const now = at("2027-05-01T00:00:00Z");
    const { userId, payment, deps } = await paidSubscriber(now, "cn");
    expect(payment.currency).toBe("CNY");
    const admin = await makeUser(t.db, now);
    const before = await refundState(userId, payment.id, now);

    const later = { ...deps, now: at("2027-05-02T00:00:00Z") };
    const e = await refusal(
      refundPayment(later, { paymentId: payment.id, amountMinor: 100n, reason: "customer asked", actorId: admin }),
    );
    expect(e.code).toBe("refund_china_site");
    // Even the whole amount, for any reason.
    expect(
      (
        await refusal(
          refundPayment(later, {
            paymentId: payment.id,
            amountMinor: payment.amountMinor,
            reason: "service outage",
            actorId: admin,
          }),
        )
      ).code,
    ).toBe("refund_china_site");

    expect(await refundState(userId, payment.id, now)).toEqual(before);
    expect(await t.db.auditLog.count({ where: { subjectId: payment.id } })).toBe(0);
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("SUB-7: a China-site account's payment is refused even when it was taken in another currency", async () => {
    const now = at("2027-05-03T00:00:00Z");
    const { payment, deps } = await paidSubscriber(now, "intl");
    // The account moved to the China site after paying (or the regions were re-configured).
    await t.db.user.update({
      where: { id: (await t.db.invoice.findUniqueOrThrow({ where: { id: payment.invoiceId } })).userId },
      data: { region: "cn" },
    });
    const admin = await makeUser(t.db, now);
    expect(
      (
        await refusal(
          refundPayment(deps, { paymentId: payment.id, amountMinor: 100n, reason: "customer asked", actorId: admin }),
        )
      ).code,
    ).toBe("refund_china_site");
    expect(await t.db.refund.count({ where: { paymentId: payment.id } })).toBe(0);
  });

  it("SUB-7: the admin's payment list marks a China-site payment as not refundable (and an international one as refundable)", async () => {
    const now = at("2027-05-04T00:00:00Z");
    const cn = await paidSubscriber(now, "cn");
    const intl = await paidSubscriber(now, "intl");
    const [cnView] = await cardPaymentsOf(t.db, cn.userId);
    const [intlView] = await cardPaymentsOf(t.db, intl.userId);
    expect(cnView).toMatchObject({ refundRefusal: "china_site", refundableMinor: cn.payment.amountMinor });
    expect(intlView).toMatchObject({ refundRefusal: null });
    // REFUND-1 still holds for the international site.
    const admin = await makeUser(t.db, now);
    await refundPayment(intl.deps, {
      paymentId: intl.payment.id,
      amountMinor: 100n,
      reason: "service outage",
      actorId: admin,
    });
    expect(await t.db.payment.findUniqueOrThrow({ where: { id: intl.payment.id } })).toMatchObject({
      refundedMinor: 100n,
    });
  });
});
