import { describe, expect, it } from "vitest";
import { renewSubscription, retryOverdueRenewals, subscribe, topUp } from "../../lib/billing";
import { confirmReturnedPayment } from "../../lib/payments/return";
import { at, balanceMismatches, liveSub, makeUser, refusal } from "../support/billing";
import { setupStripeWorld, walletSteps } from "../support/stripe-world";

/**
 * PAY-3's renewals "where the method allows off-session use": Alipay saved
 * under an automatic-payment agreement by the payment that bought the plan,
 * through the real port and the local Stripe-compatible server.
 */
const world = setupStripeWorld();
const { t, local } = world;
const { answer, intentOf, deliver } = walletSteps(world);

const RETURN_URL = "http://localhost:3000/payments/return?next=%2Fsubscription";
const start = at("2027-08-01T03:00:00Z");
const deps = (when = start) => world.deps(when);

/** A China-site subscriber who paid for Pro by Alipay and saved it for renewals (the agreement signed). */
async function subscribedWithAgreement(requestId: string) {
  const userId = await makeUser(t.db, start, { region: "cn" });
  const outcome = await subscribe(deps(), {
    userId,
    tier: "pro",
    cycle: "monthly",
    requestId,
    returnUrl: RETURN_URL,
    method: "alipay",
    saveForRenewals: true,
  });
  if (outcome.status !== "requires_action") throw new Error(`expected a redirect, got ${outcome.status}`);
  const page = await (await fetch(outcome.actionUrl)).text();
  expect(page).toContain("automatic-payment agreement");
  await answer(outcome.actionUrl, "approve");
  const pi = await intentOf(outcome.invoiceId);
  await deliver(pi.id, ["payment_intent.succeeded"]);
  return { userId, pi, sub: await liveSub(t.db, userId) };
}

describe("Alipay automatic payments (PAY-3)", () => {
  it("PAY-3: Alipay saved for renewals: the intent asks setup_future_usage=off_session for the buyer's customer, approving saves it, and the renewal is charged off-session under the agreement with no buyer step", async () => {
    const { userId, pi, sub } = await subscribedWithAgreement("agree-1");
    const row = await t.db.paymentCustomer.findFirstOrThrow({ where: { userId } });
    expect(pi).toMatchObject({
      status: "succeeded",
      customer: row.customerId,
      payment_method_types: ["alipay"],
      payment_method_options: { alipay: { setup_future_usage: "off_session" } },
    });
    expect(row).toMatchObject({ methodType: "alipay", paymentMethodId: pi.payment_method, cardLast4: null });
    expect(await deps().port.savedMethod(userId)).toEqual({ type: "alipay" });
    expect((await local.stripe.paymentMethods.retrieve(pi.payment_method as string)).customer).toBe(row.customerId);

    expect(await renewSubscription(deps(sub.periodEnd), sub.id)).toBe("renewed");
    const renewal = await t.db.invoice.findFirstOrThrow({ where: { subscriptionId: sub.id, kind: "renewal" } });
    expect(renewal.status).toBe("paid");
    const charged = await intentOf(renewal.id);
    expect(charged).toMatchObject({
      status: "succeeded",
      payment_method: pi.payment_method,
      payment_method_types: ["alipay"],
      next_action: null,
    });
    const charge = await local.stripe.charges.retrieve(charged.latest_charge as string);
    expect(charge.payment_method_details?.type).toBe("alipay");
    expect(await t.db.payment.findFirstOrThrow({ where: { invoiceId: renewal.id } })).toMatchObject({
      offSession: true,
      status: "succeeded",
    });
    expect((await liveSub(t.db, userId)).periodEnd.getTime()).toBeGreaterThan(sub.periodEnd.getTime());
    expect(await t.db.notice.count({ where: { userId, kind: { in: ["renewal_pay_link", "renewal_failed"] } } })).toBe(
      0,
    );
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("PAY-3: the return from Alipay saves the agreement before any webhook, and the webhook delivered twice changes nothing more", async () => {
    const userId = await makeUser(t.db, start, { region: "cn" });
    const outcome = await subscribe(deps(), {
      userId,
      tier: "lite",
      cycle: "monthly",
      requestId: "agree-return",
      returnUrl: RETURN_URL,
      method: "alipay",
      saveForRenewals: true,
    });
    if (outcome.status !== "requires_action") throw new Error(`expected a redirect, got ${outcome.status}`);
    await answer(outcome.actionUrl, "approve");
    const pi = await intentOf(outcome.invoiceId);
    expect(await confirmReturnedPayment(deps(), userId, pi.id)).toEqual({ ok: true });
    expect(await deps().port.savedMethod(userId)).toEqual({ type: "alipay" });
    const before = await t.db.paymentCustomer.findFirstOrThrow({ where: { userId } });
    await deliver(pi.id, ["payment_intent.succeeded"]);
    await deliver(pi.id, ["payment_intent.succeeded"]);
    expect(await t.db.paymentCustomer.findFirstOrThrow({ where: { userId } })).toEqual(before);
  });

  it("PAY-3: an Alipay payment without the box ticked saves nothing, and neither does someone else's intent", async () => {
    const userId = await makeUser(t.db, start, { region: "cn" });
    const outcome = await topUp(deps(), {
      userId,
      amountMinor: 3000n,
      requestId: "no-agree",
      returnUrl: RETURN_URL,
      method: "alipay",
    });
    if (outcome.status !== "requires_action") throw new Error(`expected a redirect, got ${outcome.status}`);
    expect(await (await fetch(outcome.actionUrl)).text()).not.toContain("automatic-payment agreement");
    await answer(outcome.actionUrl, "approve");
    const pi = await intentOf(outcome.invoiceId);
    await deliver(pi.id, ["payment_intent.succeeded"]);
    expect(await deps().port.savedMethod(userId)).toBeNull();

    const other = await subscribedWithAgreement("agree-other");
    expect(await deps().port.rememberPayment(userId, other.pi.id)).toBeNull();
    expect(await deps().port.savedMethod(userId)).toBeNull();
  });

  it("PAY-3: with an agreement saved, paying by Alipay on the spot is charged under it at once, with no redirect", async () => {
    const { userId } = await subscribedWithAgreement("agree-now");
    const outcome = await topUp(deps(), {
      userId,
      amountMinor: 2000n,
      requestId: "agree-top-up",
      returnUrl: RETURN_URL,
      method: "alipay",
    });
    expect(outcome.status).toBe("paid");
    const pi = await intentOf(outcome.invoiceId);
    expect(pi).toMatchObject({ status: "succeeded", payment_method_types: ["alipay"], next_action: null });
  });

  it("PAY-3: an Alipay balance too low fails the renewal like a declined card: past due, renewal_failed with insufficient_funds, and the retry after it is topped up renews", async () => {
    const { userId, pi, sub } = await subscribedWithAgreement("agree-low");
    await local.stripe.rawRequest("POST", `/v1/test_helpers/wallet_agreements/${pi.payment_method}`, {
      state: "insufficient_funds",
    });
    expect(await renewSubscription(deps(sub.periodEnd), sub.id)).toBe("past_due");
    const notice = await t.db.notice.findFirstOrThrow({ where: { userId, kind: "renewal_failed" } });
    expect(notice.params).toMatchObject({ reason: "insufficient_funds", currency: "CNY" });
    expect(await deps().port.savedMethod(userId)).toEqual({ type: "alipay" }); // the agreement stays

    await local.stripe.rawRequest("POST", `/v1/test_helpers/wallet_agreements/${pi.payment_method}`, {
      state: "active",
    });
    const renewal = await t.db.invoice.findFirstOrThrow({ where: { subscriptionId: sub.id, kind: "renewal" } });
    await retryOverdueRenewals(deps(renewal.nextAttemptAt!), [renewal.id]);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: renewal.id } })).toMatchObject({ status: "paid" });
    expect(await liveSub(t.db, userId)).toMatchObject({ status: "active" });
  });

  it("PAY-3: an agreement the buyer ends in Alipay (payment_method.detached) is forgotten, and the next renewal comes as a reminder with the pay link", async () => {
    const { userId, pi, sub } = await subscribedWithAgreement("agree-revoked");
    await local.stripe.rawRequest("POST", `/v1/test_helpers/wallet_agreements/${pi.payment_method}`, {
      state: "revoked",
    });
    await deliver(pi.payment_method as string, ["payment_method.detached"]);
    expect(await deps().port.savedMethod(userId)).toBeNull();
    expect(await renewSubscription(deps(sub.periodEnd), sub.id)).toBe("past_due");
    const notices = await t.db.notice.findMany({
      where: { userId, kind: { in: ["renewal_pay_link", "renewal_failed"] } },
    });
    expect(notices.map((n) => n.kind)).toEqual(["renewal_pay_link"]);
  });

  it("PAY-3: an agreement ended in Alipay whose event has not arrived: the renewal's charge is refused by the processor, the method forgotten, and the pay link sent", async () => {
    const { userId, pi, sub } = await subscribedWithAgreement("agree-revoked-late");
    await local.stripe.rawRequest("POST", `/v1/test_helpers/wallet_agreements/${pi.payment_method}`, {
      state: "revoked",
    });
    expect(await renewSubscription(deps(sub.periodEnd), sub.id)).toBe("past_due");
    expect(await deps().port.savedMethod(userId)).toBeNull();
    const notices = await t.db.notice.findMany({
      where: { userId, kind: { in: ["renewal_pay_link", "renewal_failed"] } },
    });
    expect(notices.map((n) => n.kind)).toEqual(["renewal_pay_link"]);
    expect(notices[0].params).toMatchObject({ reason: "no_payment_method" });
  });

  it("PAY-3: the subscriber ends the agreement here: detached at the processor and forgotten, and a replayed payment_intent.succeeded does not bring it back", async () => {
    const { userId, pi } = await subscribedWithAgreement("agree-ended");
    await deps().port.removeSavedMethod(userId);
    expect(await deps().port.savedMethod(userId)).toBeNull();
    expect((await local.stripe.paymentMethods.retrieve(pi.payment_method as string)).customer).toBeNull();
    await deliver(pi.id, ["payment_intent.succeeded"]);
    expect(await deps().port.savedMethod(userId)).toBeNull();
    // Ending it again is harmless.
    await deps().port.removeSavedMethod(userId);
  });

  it("PAY-3: a card saved later takes the agreement's place and ends it at the processor, so Alipay can no longer be charged", async () => {
    const { userId, pi } = await subscribedWithAgreement("agree-then-card");
    const email = (await t.db.user.findUniqueOrThrow({ where: { id: userId } })).email;
    const setup = await deps().port.saveCard({
      userId,
      email,
      paymentMethod: "pm_card_visa",
      returnUrl: RETURN_URL,
      idempotencyKey: `setup:${userId}:card`,
    });
    expect(setup.status).toBe("succeeded");
    expect(await deps().port.savedMethod(userId)).toMatchObject({ type: "card", last4: "4242" });
    expect((await local.stripe.paymentMethods.retrieve(pi.payment_method as string)).customer).toBeNull();
  });

  it("PAY-3: saving WeChat Pay for renewals is refused recurring_unavailable and changes nothing; the local server refuses setup_future_usage for wechat_pay as Stripe does", async () => {
    const userId = await makeUser(t.db, start, { region: "cn" });
    const err = await refusal(
      subscribe(deps(), {
        userId,
        tier: "pro",
        cycle: "monthly",
        requestId: "wx-save",
        returnUrl: RETURN_URL,
        method: "wechat_pay",
        saveForRenewals: true,
      }),
    );
    expect(err.code).toBe("recurring_unavailable");
    expect(await t.db.invoice.count({ where: { userId } })).toBe(0);
    const refused = await local.stripe.paymentIntents
      .create({
        amount: 1000,
        currency: "cny",
        confirm: true,
        allowed_payment_method_types: ["wechat_pay"],
        payment_method_data: { type: "wechat_pay" },
        payment_method_options: { wechat_pay: { client: "web" } },
        setup_future_usage: "off_session",
      })
      .then(
        () => "none",
        (e: { param?: string }) => e.param,
      );
    expect(refused).toBe("setup_future_usage");
  });
});
