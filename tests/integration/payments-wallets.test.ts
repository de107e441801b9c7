import { describe, expect, it } from "vitest";
import { buyPack } from "../../lib/api-billing";
import { expireAbandonedPayments, renewSubscription, subscribe, topUp } from "../../lib/billing";
import { confirmReturnedPayment } from "../../lib/payments/return";
import { cancelWalletPayment, walletPaymentView } from "../../lib/payments/wallet-payment";
import { at, balanceMismatches, giveCredits, liveSub, makeUser, refusal, wallet } from "../support/billing";
import { setupStripeWorld, walletSteps } from "../support/stripe-world";

const world = setupStripeWorld();
const { t, local } = world;
const { answer, intentOf, deliver } = walletSteps(world);

const RETURN_URL = "http://localhost:3000/payments/return?next=%2Fsubscription";
const now = at("2027-06-01T03:00:00Z");
const deps = (when = now) => world.deps(when);

describe("Alipay and WeChat Pay (PAY-3)", () => {
  it("PAY-3: an Alipay subscription on the China site redirects to the wallet (alipay_handle_redirect); nothing is granted until payment_intent.succeeded, which starts the plan", async () => {
    const userId = await makeUser(t.db, now, { region: "cn" });
    const outcome = await subscribe(deps(), {
      userId,
      tier: "pro",
      cycle: "monthly",
      requestId: "ali",
      returnUrl: RETURN_URL,
      method: "alipay",
    });
    if (outcome.status !== "requires_action") throw new Error(`expected a redirect, got ${outcome.status}`);
    expect(outcome.qr).toBeUndefined();
    expect(outcome.actionUrl).toMatch(/\/wallet\/pi_/);
    const pi = await intentOf(outcome.invoiceId);
    expect(pi).toMatchObject({
      status: "requires_action",
      currency: "cny",
      payment_method_types: ["alipay"],
      next_action: { type: "alipay_handle_redirect" },
    });
    expect(pi.next_action?.alipay_handle_redirect?.url).toBe(outcome.actionUrl);
    const invoice = await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } });
    expect(invoice).toMatchObject({ status: "open", currency: "CNY" });
    expect(pi.amount).toBe(Number(invoice.cardMinor));
    expect(await t.db.subscription.count({ where: { userId } })).toBe(0);

    const back = await answer(outcome.actionUrl, "approve");
    expect(back.status).toBe(303);
    const location = new URL(back.headers.get("location")!);
    expect(location.searchParams.get("redirect_status")).toBe("succeeded");
    expect(location.searchParams.get("payment_intent")).toBe(pi.id);
    // Still nothing until the webhook (or the return page) reports it.
    expect(await t.db.subscription.count({ where: { userId } })).toBe(0);
    await deliver(pi.id, ["payment_intent.succeeded"]);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "paid",
    });
    expect(await liveSub(t.db, userId)).toMatchObject({ tier: "pro", status: "active" });
    const charge = await local.stripe.charges.retrieve((await intentOf(outcome.invoiceId)).latest_charge as string);
    expect(charge.payment_method_details?.type).toBe("alipay");
    expect(await balanceMismatches(t.db)).toEqual([]);
  });

  it("PAY-3: a WeChat Pay top-up shows a QR code (wechat_pay_display_qr_code); declined at the wallet, payment_intent.payment_failed voids it and adds nothing", async () => {
    const userId = await makeUser(t.db, now, { region: "cn" });
    const outcome = await topUp(deps(), {
      userId,
      amountMinor: 5000n,
      requestId: "wx-top",
      returnUrl: RETURN_URL,
      method: "wechat_pay",
    });
    if (outcome.status !== "requires_action") throw new Error(`expected a QR code, got ${outcome.status}`);
    expect(outcome.qr).toBe(true);
    const pi = await intentOf(outcome.invoiceId);
    expect(pi.next_action?.type).toBe("wechat_pay_display_qr_code");
    const view = await walletPaymentView(deps(), userId, outcome.invoiceId);
    expect(view).toEqual({
      status: "waiting",
      amountMinor: 5000n,
      currency: "CNY",
      qrData: pi.next_action?.wechat_pay_display_qr_code?.data,
    });
    // Another user cannot see it.
    expect(await walletPaymentView(deps(), await makeUser(t.db, now, { region: "cn" }), outcome.invoiceId)).toBeNull();

    const scanned = await answer(view!.status === "waiting" ? view!.qrData! : "", "decline");
    expect(scanned.status).toBe(200); // a phone: no merchant page to go back to
    await deliver(pi.id, ["payment_intent.payment_failed"]);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "void",
    });
    expect(await wallet(t.db, userId, "CNY")).toEqual({ creditsMinor: 0n, cashMinor: 0n });
    expect(await walletPaymentView(deps(), userId, outcome.invoiceId)).toMatchObject({ status: "failed" });
  });

  it("PAY-3: a WeChat Pay pack abandoned (the code canceled, payment_intent.canceled) is voided with its credits back and no pack; bought again and approved, the pack is granted", async () => {
    const userId = await makeUser(t.db, now, { region: "cn" });
    await giveCredits(t.db, userId, 1000n, now, "CNY");
    const first = await buyPack(deps(), {
      userId,
      productId: "starter",
      requestId: "wx-pack-1",
      returnUrl: RETURN_URL,
      method: "wechat_pay",
    });
    if (first.status !== "requires_action") throw new Error(`expected a QR code, got ${first.status}`);
    expect(await wallet(t.db, userId, "CNY")).toEqual({ creditsMinor: 0n, cashMinor: 0n }); // held by the open order
    expect(await cancelWalletPayment(deps(), userId, first.invoiceId)).toEqual({ ok: true });
    const pi = await intentOf(first.invoiceId);
    expect(pi.status).toBe("canceled");
    await deliver(pi.id, ["payment_intent.canceled"]);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: first.invoiceId } })).toMatchObject({ status: "void" });
    expect(await wallet(t.db, userId, "CNY")).toEqual({ creditsMinor: 1000n, cashMinor: 0n });
    expect(await t.db.resourcePack.findMany({ where: { userId, activatedAt: { not: null } } })).toEqual([]);
    // The code can no longer be paid.
    expect(
      await (await fetch(pi.next_action?.wechat_pay_display_qr_code?.data ?? `${local.url}/wallet/${pi.id}`)).text(),
    ).toContain("can no longer be paid");

    const again = await buyPack(deps(), {
      userId,
      productId: "starter",
      requestId: "wx-pack-2",
      returnUrl: RETURN_URL,
      method: "wechat_pay",
    });
    if (again.status !== "requires_action") throw new Error(`expected a QR code, got ${again.status}`);
    const pi2 = await intentOf(again.invoiceId);
    expect((await answer(pi2.next_action!.wechat_pay_display_qr_code!.data, "approve")).status).toBe(200);
    await deliver(pi2.id, ["payment_intent.succeeded"]);
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: again.invoiceId } })).toMatchObject({ status: "paid" });
    expect(
      await t.db.resourcePack.count({ where: { userId, invoiceId: again.invoiceId, activatedAt: { not: null } } }),
    ).toBe(1);
  });

  it("PAY-3: back from Alipay without paying (abandoned), the return cancels the attempt: the order is void, nothing granted, the stock unit back", async () => {
    const userId = await makeUser(t.db, now, { region: "cn" });
    const outcome = await subscribe(deps(), {
      userId,
      tier: "lite",
      cycle: "monthly",
      requestId: "ali-left",
      returnUrl: RETURN_URL,
      method: "alipay",
    });
    if (outcome.status !== "requires_action") throw new Error(`expected a redirect, got ${outcome.status}`);
    const sold = async () =>
      (await t.db.stockDay.findFirstOrThrow({ where: { tier: "lite" }, orderBy: { dayStart: "desc" } })).sold;
    const soldWhileOpen = await sold();
    const back = await answer(outcome.actionUrl, "abandon");
    expect(new URL(back.headers.get("location")!).searchParams.get("redirect_status")).toBe("failed");
    const pi = await intentOf(outcome.invoiceId);
    expect(pi.status).toBe("requires_action"); // a buyer who walks away tells nobody
    expect(await confirmReturnedPayment(deps(), userId, pi.id)).toEqual({ ok: false, code: "canceled" });
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "void",
    });
    expect(await t.db.subscription.count({ where: { userId } })).toBe(0);
    expect(await sold()).toBe(soldWhileOpen - 1);
  });

  it("PAY-3: a WeChat Pay code left unscanned for 30 minutes is canceled at the processor and the order voided, so a late scan cannot pay it", async () => {
    const userId = await makeUser(t.db, now, { region: "cn" });
    const outcome = await topUp(deps(), {
      userId,
      amountMinor: 2000n,
      requestId: "wx-left",
      returnUrl: RETURN_URL,
      method: "wechat_pay",
    });
    if (outcome.status !== "requires_action") throw new Error(`expected a QR code, got ${outcome.status}`);
    expect(await expireAbandonedPayments(deps(new Date(now.getTime() + 29 * 60_000)))).toBe(0);
    expect(await expireAbandonedPayments(deps(new Date(now.getTime() + 31 * 60_000)))).toBe(1);
    const pi = await intentOf(outcome.invoiceId);
    expect(pi.status).toBe("canceled");
    expect(await t.db.invoice.findUniqueOrThrow({ where: { id: outcome.invoiceId } })).toMatchObject({
      status: "void",
    });
    expect(await t.db.payment.findFirstOrThrow({ where: { invoiceId: outcome.invoiceId } })).toMatchObject({
      status: "failed",
      failureCode: "abandoned",
    });
    await answer(pi.next_action?.wechat_pay_display_qr_code?.data ?? `${local.url}/wallet/${pi.id}`, "approve");
    expect((await intentOf(outcome.invoiceId)).status).toBe("canceled");
    expect(await wallet(t.db, userId, "CNY")).toEqual({ creditsMinor: 0n, cashMinor: 0n });
  });

  it("PAY-3: a wallet the region does not offer (Alipay on the international site) is refused method_unavailable and changes nothing", async () => {
    const userId = await makeUser(t.db, now);
    const err = await refusal(
      subscribe(deps(), {
        userId,
        tier: "pro",
        cycle: "monthly",
        requestId: "intl-ali",
        returnUrl: RETURN_URL,
        method: "alipay",
      }),
    );
    expect(err.code).toBe("method_unavailable");
    expect(await t.db.invoice.count({ where: { userId } })).toBe(0);
  });

  it("PAY-3: the local server keeps Stripe's rules: Alipay needs a return_url, WeChat Pay its client, and neither is charged off-session", async () => {
    const base = { amount: 1000, currency: "cny", confirm: true } as const;
    const code = (p: Promise<unknown>) =>
      p.then(
        () => "none",
        (e: { param?: string }) => e.param,
      );
    expect(
      await code(
        local.stripe.paymentIntents.create({
          ...base,
          allowed_payment_method_types: ["alipay"],
          payment_method_data: { type: "alipay" },
        }),
      ),
    ).toBe("return_url");
    expect(
      await code(
        local.stripe.paymentIntents.create({
          ...base,
          allowed_payment_method_types: ["wechat_pay"],
          payment_method_data: { type: "wechat_pay" },
        }),
      ),
    ).toBe("payment_method_options[wechat_pay][client]");
    expect(
      await code(
        local.stripe.paymentIntents.create({
          ...base,
          allowed_payment_method_types: ["alipay"],
          payment_method_data: { type: "alipay" },
          off_session: true,
          return_url: RETURN_URL,
        }),
      ),
    ).toBe("off_session");
  });

  it("PAY-3: a China-site renewal no saved method can pay off-session sends a renewal reminder with the pay link, not a card failure", async () => {
    const start = at("2027-07-01T03:00:00Z");
    const userId = await makeUser(t.db, start, { region: "cn" });
    const first = await subscribe(deps(start), {
      userId,
      tier: "lite",
      cycle: "monthly",
      requestId: "ali-first",
      returnUrl: RETURN_URL,
      method: "alipay",
    });
    if (first.status !== "requires_action") throw new Error(`expected a redirect, got ${first.status}`);
    await answer(first.actionUrl, "approve");
    await deliver((await intentOf(first.invoiceId)).id, ["payment_intent.succeeded"]);
    const sub = await liveSub(t.db, userId);

    expect(await renewSubscription(deps(sub.periodEnd), sub.id)).toBe("past_due");
    const notices = await t.db.notice.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
    expect(notices.map((n) => n.kind)).toEqual(["renewal_pay_link"]);
    expect(notices[0].params).toMatchObject({
      currency: "CNY",
      reason: "no_payment_method",
      payUrl: expect.stringMatching(/\/subscription$/),
    });
  });
});
