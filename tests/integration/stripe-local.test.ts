import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeLocal, type StripeLocal, type StripeLocalOptions } from "../../scripts/stripe-local/index";

/**
 * The local Stripe-compatible server, driven by the real `stripe` SDK as the
 * app drives it. No Postgres needed (the integration project starts one anyway).
 */

const SECRET = "whsec_test_stripe_local";
const dirs: string[] = [];

function dataFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "stripe-local-"));
  dirs.push(dir);
  return path.join(dir, "state.json");
}

function sdk(server: StripeLocal): Stripe {
  return new Stripe("sk_test_local", { host: "127.0.0.1", port: server.port, protocol: "http" });
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function cardError(p: Promise<unknown>): Promise<Stripe.errors.StripeCardError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
  return err as Stripe.errors.StripeCardError;
}

async function completeThreeDs(server: StripeLocal, id: string, result: "succeed" | "fail"): Promise<Response> {
  return fetch(`${server.url}/3ds/${id}/complete`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `result=${result}`,
    redirect: "manual",
  });
}

/** A webhook endpoint on loopback that keeps every delivery and answers with `status(n)` for the n-th (from 1). */
type Receiver = {
  url: string;
  received: { body: string; signature: string }[];
  status: (n: number) => number;
  close(): Promise<void>;
};

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: "", received: [], status: () => 200, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      receiver.received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        signature: String(req.headers["stripe-signature"]),
      });
      res.writeHead(receiver.status(receiver.received.length)).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`;
  receiver.close = () =>
    new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return receiver;
}

const verifier = new Stripe("sk_test_local");
function verified(delivery: { body: string; signature: string }): Stripe.Event {
  return verifier.webhooks.constructEvent(delivery.body, delivery.signature, SECRET);
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("the Stripe API subset", () => {
  let server: StripeLocal;
  let stripe: Stripe;

  beforeAll(async () => {
    server = await startStripeLocal({ port: 0, dataFile: dataFile(), publicUrl: "http://localhost:4242" });
    stripe = sdk(server);
  });
  afterAll(() => server.stop());

  it("refuses requests without a test secret key", async () => {
    const live = new Stripe("sk_live_nope", { host: "127.0.0.1", port: server.port, protocol: "http" });
    await expect(live.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const res = await fetch(`${server.url}/v1/customers`, { method: "POST" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("creates a customer and attaches test cards as concrete payment methods with stable fingerprints", async () => {
    const customer = await stripe.customers.create({
      email: "ana@example.com",
      name: "Ana",
      metadata: { user_id: "u1" },
    });
    expect(customer).toMatchObject({
      object: "customer",
      email: "ana@example.com",
      livemode: false,
      metadata: { user_id: "u1" },
    });
    expect(customer.id).toMatch(/^cus_[0-9A-Za-z]{24}$/);

    const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    expect(pm.id).toMatch(/^pm_[0-9A-Za-z]{24}$/);
    expect(pm).toMatchObject({
      object: "payment_method",
      customer: customer.id,
      type: "card",
      card: { brand: "visa", last4: "4242" },
    });
    const again = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    expect(again.id).not.toBe(pm.id);
    expect(again.card?.fingerprint).toBe(pm.card?.fingerprint);
    const master = await stripe.paymentMethods.attach("pm_card_mastercard", { customer: customer.id });
    expect(master.card).toMatchObject({ brand: "mastercard", last4: "4444" });
    expect(master.card?.fingerprint).not.toBe(pm.card?.fingerprint);

    const listed = await stripe.customers.listPaymentMethods(customer.id);
    expect(listed.object).toBe("list");
    expect(listed.data.map((p) => p.id)).toEqual([master.id, again.id, pm.id]);
    const listed2 = await stripe.paymentMethods.list({ customer: customer.id, type: "card", limit: 2 });
    expect(listed2.data).toHaveLength(2);
    expect(listed2.has_more).toBe(true);

    const updated = await stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: pm.id },
      metadata: { plan: "pro" },
    });
    expect(updated.invoice_settings.default_payment_method).toBe(pm.id);
    expect(updated.metadata).toEqual({ user_id: "u1", plan: "pro" });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      invoice_settings: { default_payment_method: pm.id },
    });

    const detached = await stripe.paymentMethods.detach(pm.id);
    expect(detached.customer).toBeNull();
    expect(
      ((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).invoice_settings.default_payment_method,
    ).toBeNull();
    expect((await stripe.paymentMethods.retrieve(master.id)).customer).toBe(customer.id);

    const missing = await stripe.customers.retrieve("cus_doesnotexist").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });

  it("a SetupIntent with a good card succeeds and saves the card to the customer", async () => {
    const customer = await stripe.customers.create({ email: "si@example.com" });
    const si = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: "pm_card_mastercard",
      confirm: true,
      usage: "off_session",
    });
    expect(si).toMatchObject({
      object: "setup_intent",
      status: "succeeded",
      customer: customer.id,
      usage: "off_session",
    });
    expect(si.client_secret).toMatch(new RegExp(`^${si.id}_secret_`));
    const pm = await stripe.paymentMethods.retrieve(si.payment_method as string);
    expect(pm.customer).toBe(customer.id);
    expect((await stripe.setupIntents.retrieve(si.id)).status).toBe("succeeded");

    // Insufficient funds only shows when charged: setting the card up works.
    const insufficient = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: "pm_card_chargeDeclinedInsufficientFunds",
      confirm: true,
    });
    expect(insufficient.status).toBe("succeeded");
  });

  it("a SetupIntent with a declined card is a card error; two-step confirm works", async () => {
    const customer = await stripe.customers.create({});
    const si = await stripe.setupIntents.create({ customer: customer.id, allowed_payment_method_types: ["card"] });
    expect(si.status).toBe("requires_payment_method");
    const err = await cardError(stripe.setupIntents.confirm(si.id, { payment_method: "pm_card_chargeDeclined" }));
    expect(err).toMatchObject({ code: "card_declined", decline_code: "generic_decline", statusCode: 402 });
    expect(err.setup_intent?.status).toBe("requires_payment_method");
    const after = await stripe.setupIntents.retrieve(si.id);
    expect(after.last_setup_error).toMatchObject({ code: "card_declined", decline_code: "generic_decline" });
    expect((await stripe.setupIntents.confirm(si.id, { payment_method: "pm_card_visa" })).status).toBe("succeeded");
  });

  it("a SetupIntent with an authentication-required card goes through the 3-D Secure page", async () => {
    const customer = await stripe.customers.create({});
    const si = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: "pm_card_authenticationRequired",
      confirm: true,
      return_url: "http://localhost:3000/billing/cards?from=3ds",
    });
    expect(si.status).toBe("requires_action");
    expect(si.next_action).toEqual({
      type: "redirect_to_url",
      redirect_to_url: {
        url: `http://localhost:4242/3ds/${si.id}`,
        return_url: "http://localhost:3000/billing/cards?from=3ds",
      },
    });
    const page = await fetch(`${server.url}/3ds/${si.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Complete authentication");

    const res = await completeThreeDs(server, si.id, "succeed");
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe("http://localhost:3000/billing/cards");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      from: "3ds",
      setup_intent: si.id,
      setup_intent_client_secret: si.client_secret,
      redirect_status: "succeeded",
    });
    const done = await stripe.setupIntents.retrieve(si.id);
    expect(done.status).toBe("succeeded");
    expect((await stripe.paymentMethods.retrieve(done.payment_method as string)).customer).toBe(customer.id);
  });

  it("a PaymentIntent with a good card succeeds and leaves a charge", async () => {
    const customer = await stripe.customers.create({});
    const pi = await stripe.paymentIntents.create({
      amount: 2900,
      currency: "usd",
      customer: customer.id,
      payment_method: "pm_card_visa",
      confirm: true,
      off_session: true,
      setup_future_usage: "off_session",
      description: "Pro plan",
      metadata: { invoice_id: "inv_1" },
    });
    expect(pi).toMatchObject({
      object: "payment_intent",
      status: "succeeded",
      amount: 2900,
      amount_received: 2900,
      currency: "usd",
      last_payment_error: null,
    });
    expect(pi.id).toMatch(/^pi_/);
    expect(pi.latest_charge).toMatch(/^ch_/);
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({
      object: "charge",
      amount: 2900,
      amount_captured: 2900,
      amount_refunded: 0,
      refunded: false,
      disputed: false,
      currency: "usd",
      customer: customer.id,
      payment_intent: pi.id,
      payment_method: pi.payment_method,
      status: "succeeded",
      paid: true,
      metadata: { invoice_id: "inv_1" },
      payment_method_details: { type: "card", card: { brand: "visa", last4: "4242" } },
    });
    // setup_future_usage saved the card for later.
    expect((await stripe.paymentMethods.retrieve(pi.payment_method as string)).customer).toBe(customer.id);
    const expanded = await stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge"] });
    expect((expanded.latest_charge as Stripe.Charge).id).toBe(charge.id);

    const events = await stripe.events.list({ limit: 3 });
    expect(events.data.map((e) => e.type)).toEqual([
      "payment_intent.succeeded",
      "charge.succeeded",
      "payment_method.attached",
    ]);

    const again = await stripe.paymentIntents.confirm(pi.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again).toMatchObject({ code: "payment_intent_unexpected_state" });
  });

  it("declines map to StripeCardError with Stripe's code and decline_code", async () => {
    const declined = await cardError(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        payment_method: "pm_card_chargeDeclined",
        confirm: true,
      }),
    );
    expect(declined).toMatchObject({
      type: "StripeCardError",
      code: "card_declined",
      decline_code: "generic_decline",
      statusCode: 402,
    });
    expect(declined.payment_intent?.status).toBe("requires_payment_method");
    const pi = await stripe.paymentIntents.retrieve(declined.payment_intent?.id as string);
    expect(pi.last_payment_error).toMatchObject({
      type: "card_error",
      code: "card_declined",
      decline_code: "generic_decline",
    });
    expect(pi.payment_method).toBeNull();

    const insufficient = await cardError(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: "usd",
        payment_method: "pm_card_chargeDeclinedInsufficientFunds",
        confirm: true,
      }),
    );
    expect(insufficient).toMatchObject({ code: "card_declined", decline_code: "insufficient_funds" });

    const failed = await stripe.events.list({ type: "payment_intent.payment_failed", limit: 2 });
    expect(failed.data.map((e) => (e.data.object as Stripe.PaymentIntent).id)).toEqual([
      insufficient.payment_intent?.id,
      declined.payment_intent?.id,
    ]);
  });

  it("an authentication-required card on-session needs 3-D Secure; completing it succeeds, once", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 4900,
      currency: "cny",
      payment_method: "pm_card_authenticationRequired",
      confirm: true,
      return_url: "http://localhost:3000/checkout/return",
    });
    expect(pi.status).toBe("requires_action");
    expect(pi.next_action?.redirect_to_url).toEqual({
      url: `http://localhost:4242/3ds/${pi.id}`,
      return_url: "http://localhost:3000/checkout/return",
    });

    const page = await fetch(`${server.url}/3ds/${pi.id}`);
    const html = await page.text();
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toMatch(/<title>[^<]+<\/title>/);
    expect(html).toContain("<main>");
    expect(html).toContain("CN¥49.00");
    expect(html).toContain("完成验证");

    const res = await completeThreeDs(server, pi.id, "succeed");
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toBe(
      `http://localhost:3000/checkout/return?payment_intent=${pi.id}&payment_intent_client_secret=${pi.client_secret}&redirect_status=succeeded`,
    );
    const done = await stripe.paymentIntents.retrieve(pi.id);
    expect(done.status).toBe("succeeded");
    expect((await stripe.charges.retrieve(done.latest_charge as string)).amount).toBe(4900);

    // A second submit (double click, back button) changes nothing and redirects the same way.
    const eventsBefore = (await stripe.events.list({ limit: 100 })).data.length;
    const twice = await completeThreeDs(server, pi.id, "fail");
    expect(twice.headers.get("location")).toBe(location);
    expect((await stripe.events.list({ limit: 100 })).data.length).toBe(eventsBefore);
    expect((await stripe.paymentIntents.retrieve(pi.id)).latest_charge).toBe(done.latest_charge);
  });

  it("failing 3-D Secure leaves the PaymentIntent needing a new payment method", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1500,
      currency: "usd",
      allowed_payment_method_types: ["card"],
    });
    expect(pi.status).toBe("requires_payment_method");
    const action = await stripe.paymentIntents.confirm(pi.id, {
      payment_method: "pm_card_authenticationRequired",
      return_url: "http://localhost:3000/r",
    });
    expect(action.status).toBe("requires_action");
    const res = await completeThreeDs(server, pi.id, "fail");
    expect(new URL(res.headers.get("location") ?? "").searchParams.get("redirect_status")).toBe("failed");
    const failed = await stripe.paymentIntents.retrieve(pi.id);
    expect(failed.status).toBe("requires_payment_method");
    expect(failed.last_payment_error?.code).toBe("payment_intent_authentication_failure");
    const [event] = (await stripe.events.list({ type: "payment_intent.payment_failed", limit: 1 })).data;
    expect((event.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
  });

  it("an authentication-required card off-session is declined with authentication_required", async () => {
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.attach("pm_card_authenticationRequired", { customer: customer.id });
    const err = await cardError(
      stripe.paymentIntents.create({
        amount: 2900,
        currency: "usd",
        customer: customer.id,
        payment_method: pm.id,
        confirm: true,
        off_session: true,
      }),
    );
    expect(err).toMatchObject({ code: "authentication_required", decline_code: "authentication_required" });
    expect(err.payment_intent?.status).toBe("requires_payment_method");
  });

  it("validates parameters like Stripe", async () => {
    const zero = await stripe.paymentIntents.create({ amount: 0, currency: "usd" }).catch((e: unknown) => e);
    expect(zero).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(zero).toMatchObject({ statusCode: 400, param: "amount" });
    const fraction = await fetch(`${server.url}/v1/payment_intents`, {
      method: "POST",
      headers: { Authorization: "Bearer sk_test_x", "Content-Type": "application/x-www-form-urlencoded" },
      body: "amount=12.5&currency=usd",
    });
    expect(fraction.status).toBe(400);
    expect(await fraction.json()).toMatchObject({ error: { type: "invalid_request_error", param: "amount" } });
    // Stripe's bracket form encoding, sent by hand (Basic auth with the key as user name works too, as with curl -u).
    const raw = await fetch(`${server.url}/v1/payment_intents`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from("sk_test_x:").toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "amount=100&currency=USD&payment_method=pm_card_visa&confirm=true&payment_method_types[0]=card&metadata[invoice_id]=inv_9&expand[0]=latest_charge",
    });
    expect(raw.status).toBe(200);
    expect(await raw.json()).toMatchObject({
      status: "succeeded",
      currency: "usd",
      payment_method_types: ["card"],
      metadata: { invoice_id: "inv_9" },
      latest_charge: { object: "charge", metadata: { invoice_id: "inv_9" } },
    });
    const currency = await stripe.paymentIntents.create({ amount: 100, currency: "xyz" }).catch((e: unknown) => e);
    expect(currency).toMatchObject({ statusCode: 400, param: "currency" });
    const missing = await stripe.paymentIntents.retrieve("pi_missing").catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });

  it("replays a request with the same Idempotency-Key and refuses the key with other parameters", async () => {
    const key = `order-${Date.now()}`;
    const first = await stripe.paymentIntents.create(
      { amount: 1200, currency: "usd", payment_method: "pm_card_visa", confirm: true },
      { idempotencyKey: key },
    );
    const second = await stripe.paymentIntents.create(
      { amount: 1200, currency: "usd", payment_method: "pm_card_visa", confirm: true },
      { idempotencyKey: key },
    );
    expect(second.id).toBe(first.id);
    expect(second.latest_charge).toBe(first.latest_charge);
    const created = (await stripe.events.list({ type: "payment_intent.created", limit: 100 })).data.filter(
      (e) => (e.data.object as Stripe.PaymentIntent).id === first.id,
    );
    expect(created).toHaveLength(1);
    expect(created[0].request).toMatchObject({ idempotency_key: key });

    const other = await stripe.paymentIntents
      .create({ amount: 9999, currency: "usd" }, { idempotencyKey: key })
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);

    // A decline is replayed too: the same key answers the same 402.
    const declineKey = `${key}-decline`;
    const e1 = await cardError(
      stripe.paymentIntents.create(
        { amount: 500, currency: "usd", payment_method: "pm_card_chargeDeclined", confirm: true },
        { idempotencyKey: declineKey },
      ),
    );
    const e2 = await cardError(
      stripe.paymentIntents.create(
        { amount: 500, currency: "usd", payment_method: "pm_card_chargeDeclined", confirm: true },
        { idempotencyKey: declineKey },
      ),
    );
    expect(e2.payment_intent?.id).toBe(e1.payment_intent?.id);
  });

  it("refunds part, then the rest, then refuses more", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    const part = await stripe.refunds.create({
      payment_intent: pi.id,
      amount: 300,
      reason: "requested_by_customer",
      metadata: { note: "partial" },
    });
    expect(part).toMatchObject({
      object: "refund",
      amount: 300,
      charge: pi.latest_charge,
      payment_intent: pi.id,
      currency: "usd",
      status: "succeeded",
      reason: "requested_by_customer",
    });
    expect(part.id).toMatch(/^re_/);
    expect(await stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({
      amount_refunded: 300,
      refunded: false,
    });

    const tooMuch = await stripe.refunds.create({ payment_intent: pi.id, amount: 800 }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch).toMatchObject({ code: "amount_too_large", param: "amount" });

    const rest = await stripe.refunds.create({ charge: pi.latest_charge as string });
    expect(rest.amount).toBe(700);
    expect(await stripe.charges.retrieve(pi.latest_charge as string)).toMatchObject({
      amount_refunded: 1000,
      refunded: true,
    });
    expect((await stripe.refunds.retrieve(rest.id)).amount).toBe(700);

    const none = await stripe.refunds.create({ payment_intent: pi.id }).catch((e: unknown) => e);
    expect(none).toMatchObject({ statusCode: 400, code: "charge_already_refunded" });

    const events = (await stripe.events.list({ limit: 2 })).data;
    expect(events.map((e) => e.type)).toEqual(["charge.refunded", "refund.created"]);
    const refundedCharge = events[0].data.object as Stripe.Charge;
    expect(refundedCharge.refunded).toBe(true);
    expect(refundedCharge.refunds?.data.map((r) => r.id)).toEqual([rest.id, part.id]);
  });

  it("opens and closes disputes through the test helper", async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 2500,
      currency: "eur",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    const dispute = (await stripe.rawRequest("POST", "/v1/test_helpers/disputes", {
      payment_intent: pi.id,
    })) as Stripe.Dispute;
    expect(dispute).toMatchObject({
      object: "dispute",
      amount: 2500,
      charge: pi.latest_charge,
      payment_intent: pi.id,
      currency: "eur",
      reason: "fraudulent",
      status: "needs_response",
    });
    expect(dispute.id).toMatch(/^du_/);
    expect((await stripe.charges.retrieve(pi.latest_charge as string)).disputed).toBe(true);
    const [created] = (await stripe.events.list({ type: "charge.dispute.created", limit: 1 })).data;
    expect((created.data.object as Stripe.Dispute).id).toBe(dispute.id);

    const closed = (await stripe.rawRequest("POST", `/v1/test_helpers/disputes/${dispute.id}/close`, {
      outcome: "lost",
    })) as Stripe.Dispute;
    expect(closed.status).toBe("lost");
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe("lost");
    const [closedEvent] = (await stripe.events.list({ type: "charge.dispute.closed", limit: 1 })).data;
    expect(closedEvent.data.object).toMatchObject({ id: dispute.id, status: "lost" });
  });

  it("lists events newest first with type filter and cursor", async () => {
    const all = await stripe.events.list({ limit: 100 });
    expect(all.data.length).toBeGreaterThan(20);
    const created = all.data.map((e) => e.created);
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    const first = all.data[0];
    expect(first).toMatchObject({
      object: "event",
      api_version: "2026-10-28.endive",
      livemode: false,
      pending_webhooks: 0,
    });
    expect(first.id).toMatch(/^evt_/);
    expect((await stripe.events.retrieve(first.id)).id).toBe(first.id);

    const page1 = await stripe.events.list({ limit: 2 });
    const page2 = await stripe.events.list({ limit: 2, starting_after: page1.data[1].id });
    expect(page2.data.map((e) => e.id)).toEqual(all.data.slice(2, 4).map((e) => e.id));
    expect(page1.has_more).toBe(true);

    const refunds = await stripe.events.list({ type: "refund.created" });
    expect(refunds.data.length).toBeGreaterThan(0);
    expect(refunds.data.every((e) => e.type === "refund.created")).toBe(true);
  });
});

describe("webhook delivery", () => {
  const started: StripeLocal[] = [];
  const receivers: Receiver[] = [];

  async function setup(options: Partial<StripeLocalOptions> = {}) {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const server = await startStripeLocal({
      port: 0,
      dataFile: dataFile(),
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
      retryBaseMs: 20,
      ...options,
    });
    started.push(server);
    return { receiver, server, stripe: sdk(server) };
  }

  async function control(server: StripeLocal, path: string, body?: object) {
    const res = await fetch(
      `${server.url}/_local${path}`,
      body ? { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {},
    );
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  afterAll(async () => {
    for (const s of started) await s.stop();
    for (const r of receivers) await r.close();
  });

  it("POSTs each event, signed so stripe.webhooks.constructEvent verifies it", async () => {
    const { receiver, server, stripe } = await setup();
    expect((await fetch(`${server.url}/_local/health`)).status).toBe(200);
    const pi = await stripe.paymentIntents.create({
      amount: 990,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    await waitFor(() => receiver.received.length === 3, "three deliveries");
    const events = receiver.received.map(verified);
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]),
    );
    const succeeded = events.find((e) => e.type === "payment_intent.succeeded");
    expect((succeeded?.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
    expect(succeeded?.pending_webhooks).toBe(1);
    expect(receiver.received[0].signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    // A tampered body or the wrong secret fails verification.
    expect(() =>
      verifier.webhooks.constructEvent(receiver.received[0].body + " ", receiver.received[0].signature, SECRET),
    ).toThrow();
    expect(() =>
      verifier.webhooks.constructEvent(receiver.received[0].body, receiver.received[0].signature, "whsec_other"),
    ).toThrow();
  });

  it("retries after the receiver fails, with a fresh signature each attempt", async () => {
    const { receiver, server, stripe } = await setup();
    receiver.status = (n) => (n === 1 ? 500 : 200);
    await stripe.customers.create({ email: "retry@example.com" });
    await waitFor(() => receiver.received.length === 2, "the retry");
    const [first, second] = receiver.received;
    expect(verified(first).id).toBe(verified(second).id);
    const log = (await control(server, "/webhooks/deliveries")).data as {
      attempt: number;
      status: number | null;
      eventId: string;
    }[];
    expect(log.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    expect((await control(server, "/webhooks/deliveries")).pending).toBe(0);
  });

  it("retries network errors with backoff, then gives up after maxAttempts", async () => {
    const closed = await startReceiver();
    await closed.close(); // nothing listens at this URL any more
    const server = await startStripeLocal({
      port: 0,
      dataFile: dataFile(),
      webhookUrl: closed.url,
      webhookSecret: SECRET,
      retryBaseMs: 10,
      maxAttempts: 3,
    });
    started.push(server);
    await sdk(server).customers.create({});
    let body: Record<string, unknown> = {};
    for (const until = Date.now() + 5000; Date.now() < until; await new Promise((r) => setTimeout(r, 20))) {
      body = await control(server, "/webhooks/deliveries");
      if (body.pending === 0) break;
    }
    expect(body.pending).toBe(0);
    expect(body.data).toMatchObject([
      { attempt: 1, status: null, error: expect.stringContaining("ECONNREFUSED") },
      { attempt: 2, status: null },
      { attempt: 3, status: null },
    ]);
  });

  it("holds events while paused and flushes them in reverse order", async () => {
    const { receiver, server, stripe } = await setup();
    await control(server, "/webhooks/config", { paused: true });
    const a = await stripe.customers.create({ name: "a" });
    const b = await stripe.customers.create({ name: "b" });
    const c = await stripe.customers.create({ name: "c" });
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received).toHaveLength(0);
    expect((await control(server, "/webhooks/deliveries")).held).toBe(3);

    expect(await control(server, "/webhooks/flush", { order: "reverse" })).toEqual({ flushed: 3 });
    expect(receiver.received.map((d) => (verified(d).data.object as Stripe.Customer).id)).toEqual([c.id, b.id, a.id]);

    // Still paused: the next event is held until unpausing releases it.
    await stripe.customers.create({ name: "d" });
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(3);
    await control(server, "/webhooks/config", { paused: false });
    await waitFor(() => receiver.received.length === 4, "the released event");
  });

  it("with duplicate on, delivers every event twice", async () => {
    const { receiver, server, stripe } = await setup();
    await control(server, "/webhooks/config", { duplicate: true });
    const customer = await stripe.customers.create({});
    await waitFor(() => receiver.received.length === 2, "both copies");
    const [x, y] = receiver.received.map(verified);
    expect(x.id).toBe(y.id);
    expect((x.data.object as Stripe.Customer).id).toBe(customer.id);
  });

  it("keeps its state, idempotency keys and pending deliveries across a restart", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    receiver.status = () => 503;
    const file = dataFile();
    const options = { port: 0, dataFile: file, webhookUrl: receiver.url, webhookSecret: SECRET };
    const first = await startStripeLocal({ ...options, retryBaseMs: 300 });
    const stripe1 = sdk(first);
    const customer = await stripe1.customers.create({ email: "persist@example.com" }, { idempotencyKey: "persist-1" });
    const pi = await stripe1.paymentIntents.create({
      amount: 700,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
    });
    await waitFor(() => receiver.received.length >= 4, "the first attempts");
    await first.stop();
    const failedSoFar = receiver.received.length;
    expect(failedSoFar).toBe(4); // customer.created + the payment's three events, all refused, none retried yet

    receiver.status = () => 200;
    const second = await startStripeLocal({ ...options, retryBaseMs: 300 });
    started.push(second);
    const stripe2 = sdk(second);
    expect(((await stripe2.customers.retrieve(customer.id)) as Stripe.Customer).email).toBe("persist@example.com");
    expect((await stripe2.paymentIntents.retrieve(pi.id)).status).toBe("succeeded");
    const replay = await stripe2.customers.create({ email: "persist@example.com" }, { idempotencyKey: "persist-1" });
    expect(replay.id).toBe(customer.id);

    // The refused deliveries resume in the new process and now get through.
    await waitFor(() => receiver.received.length === failedSoFar + 4, "the resumed deliveries");
    const resumed = receiver.received.slice(failedSoFar).map(verified);
    expect(new Set(resumed.map((e) => e.type))).toEqual(
      new Set(["customer.created", "payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]),
    );
    const deliveries = await control(second, "/webhooks/deliveries");
    expect(deliveries.pending).toBe(0);
  });
});
