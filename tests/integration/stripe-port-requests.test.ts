import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PaymentUnavailableError, type PaymentPort } from "../../lib/payments/port";
import { stripeClient, stripePort } from "../../lib/payments/stripe";
import { makeUser } from "../support/billing";
import { setupFreshDatabase } from "../support/database";

/**
 * The real Stripe port, through the real SDK, against a server that records
 * every request and answers canned Stripe objects: what exactly goes over the
 * wire for each port call (method, path, form parameters, Idempotency-Key),
 * and how Stripe's error answers come back to the billing engine.
 */

type Recorded = { method: string; path: string; form: Record<string, string>; headers: IncomingHttpHeaders };
type Answer = { status: number; body: unknown };

type Recorder = {
  port: number;
  requests: Recorded[];
  /** Answers a request differently (an error status, say); undefined falls back to the canned objects. */
  override: ((r: Recorded) => Answer | undefined) | null;
  close(): Promise<void>;
};

const cardPm = (id: string) => ({
  id,
  object: "payment_method",
  type: "card",
  customer: "cus_1",
  card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2030, fingerprint: "fp_1" },
});

function canned(r: Recorded): Answer {
  const notFound = {
    status: 404,
    body: {
      error: {
        type: "invalid_request_error",
        code: "resource_missing",
        message: `No such path: ${r.method} ${r.path}`,
      },
    },
  };
  if (r.method === "POST" && r.path === "/v1/customers")
    return { status: 200, body: { id: "cus_1", object: "customer" } };
  if (r.method === "POST" && r.path === "/v1/customers/cus_1")
    return {
      status: 200,
      body: {
        id: "cus_1",
        object: "customer",
        invoice_settings: { default_payment_method: r.form["invoice_settings[default_payment_method]"] ?? null },
      },
    };
  const pm = /^\/v1\/payment_methods\/([^/]+)$/.exec(r.path);
  if (r.method === "GET" && pm) return { status: 200, body: cardPm(pm[1]) };
  if (r.method === "POST" && r.path === "/v1/setup_intents")
    return {
      status: 200,
      body: {
        id: "seti_1",
        object: "setup_intent",
        status: "succeeded",
        customer: "cus_1",
        payment_method: "pm_1",
        next_action: null,
        last_setup_error: null,
      },
    };
  if (r.method === "POST" && r.path === "/v1/payment_intents")
    return {
      status: 200,
      body: {
        id: "pi_1",
        object: "payment_intent",
        status: "succeeded",
        amount: Number(r.form.amount),
        currency: r.form.currency,
        customer: r.form.customer,
        payment_method: r.form.payment_method,
        next_action: null,
        last_payment_error: null,
      },
    };
  if (r.method === "POST" && r.path === "/v1/refunds")
    return {
      status: 200,
      body: {
        id: "re_1",
        object: "refund",
        status: "succeeded",
        amount: Number(r.form.amount),
        payment_intent: r.form.payment_intent,
      },
    };
  return notFound;
}

async function startRecorder(): Promise<Recorder> {
  const recorder: Recorder = { port: 0, requests: [], override: null, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://recorder");
      const body = Buffer.concat(chunks).toString("utf8");
      // Bracket keys (metadata[payment_key]) stay as they are.
      const form = Object.fromEntries(new URLSearchParams(body || url.search));
      const r: Recorded = { method: req.method ?? "", path: url.pathname, form, headers: req.headers };
      recorder.requests.push(r);
      const answer = recorder.override?.(r) ?? canned(r);
      res
        .writeHead(answer.status, {
          "Content-Type": "application/json",
          "Request-Id": `req_${recorder.requests.length}`,
        })
        .end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  recorder.port = (server.address() as AddressInfo).port;
  recorder.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return recorder;
}

/** A port number nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
}

const t = setupFreshDatabase();
const RETURN_URL = "http://localhost:3000/billing/cards?from=3ds";

describe("the Stripe port's requests", () => {
  let rec: Recorder;
  let port: PaymentPort;

  beforeAll(async () => {
    rec = await startRecorder();
    port = stripePort({
      db: t.db,
      stripe: stripeClient({
        secretKey: "sk_test_rec",
        server: { host: "127.0.0.1", port: rec.port, protocol: "http" },
      }),
      provider: "stripe-local",
      now: async () => new Date(),
    });
  });
  afterAll(() => rec?.close());
  beforeEach(async () => {
    rec.requests.length = 0;
    rec.override = null;
    // The recorder names every customer cus_1, and a customer id belongs to one user: start each test without any.
    await t.db.paymentCustomer.deleteMany();
  });

  /** A fresh user whose card (pm_1) is saved, with the requests that took cleared. */
  async function userWithCard(): Promise<string> {
    const userId = await makeUser(t.db, new Date());
    const saved = await port.saveCard({
      userId,
      email: "card@example.test",
      paymentMethod: "pm_card_visa",
      returnUrl: RETURN_URL,
      idempotencyKey: `setup:${userId}:r0`,
    });
    expect(saved.status).toBe("succeeded");
    rec.requests.length = 0;
    return userId;
  }

  const charge = (userId: string, key: string) => ({
    idempotencyKey: key,
    userId,
    invoiceId: "inv_42",
    amountMinor: 3000n,
    currency: "USD",
    description: "CodePlan Pro, monthly",
  });

  it("PAY-1: saveCard creates the customer, confirms an off-session SetupIntent under the caller's key, and makes the card the default", async () => {
    const userId = await makeUser(t.db, new Date());
    const result = await port.saveCard({
      userId,
      email: "ana@example.test",
      paymentMethod: "pm_card_visa",
      returnUrl: RETURN_URL,
      idempotencyKey: "setup:u:r1",
    });
    expect(result).toEqual({
      status: "succeeded",
      card: { brand: "visa", last4: "4242", expMonth: 12, expYear: 2030 },
    });

    expect(rec.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v1/customers",
      "POST /v1/setup_intents",
      "GET /v1/payment_methods/pm_1",
      "POST /v1/customers/cus_1",
    ]);
    const [customer, setup, retrieve, update] = rec.requests;

    expect(customer.form).toEqual({ email: "ana@example.test", "metadata[user_id]": userId });
    expect(customer.headers["idempotency-key"]).toBe(`customer:${userId}`);

    expect(setup.form).toEqual({
      customer: "cus_1",
      payment_method: "pm_card_visa",
      "allowed_payment_method_types[0]": "card",
      usage: "off_session",
      confirm: "true",
      return_url: RETURN_URL,
      "metadata[user_id]": userId,
    });
    expect(setup.headers["idempotency-key"]).toBe("setup:u:r1");

    expect(retrieve.form).toEqual({});
    expect(retrieve.headers["idempotency-key"]).toBeUndefined();

    expect(update.form).toEqual({ "invoice_settings[default_payment_method]": "pm_1" });
    expect(update.headers["idempotency-key"]).toBe(`default-card:${userId}:pm_1`);

    const row = await t.db.paymentCustomer.findUniqueOrThrow({
      where: { userId_provider: { userId, provider: "stripe-local" } },
    });
    expect(row).toMatchObject({
      customerId: "cus_1",
      paymentMethodId: "pm_1",
      cardBrand: "visa",
      cardLast4: "4242",
      cardExpMonth: 12,
      cardExpYear: 2030,
      cardFingerprint: "fp_1",
    });
    expect(await port.savedMethod(userId)).toEqual({
      type: "card",
      brand: "visa",
      last4: "4242",
      expMonth: 12,
      expYear: 2030,
    });
    expect(await port.canCharge(userId)).toBe(true);
  });

  it("PAY-1: saving a card again reuses the customer (no second customer) and does not reset an unchanged default", async () => {
    const userId = await userWithCard();
    const result = await port.saveCard({
      userId,
      email: "card@example.test",
      paymentMethod: "pm_card_visa",
      returnUrl: RETURN_URL,
      idempotencyKey: "setup:u:r2",
    });
    expect(result.status).toBe("succeeded");
    expect(rec.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v1/setup_intents",
      "GET /v1/payment_methods/pm_1",
    ]);
    expect(rec.requests[0].headers["idempotency-key"]).toBe("setup:u:r2");
  });

  it("SUB-2: chargeOffSession creates a confirmed off-session PaymentIntent keyed by the domain-derived renewal key", async () => {
    const userId = await userWithCard();
    const subId = randomUUID();
    const key = `renewal:${subId}:2027-05-01T00:00:00.000Z`;
    const result = await port.chargeOffSession(charge(userId, key));
    expect(result).toEqual({ status: "succeeded", providerPaymentId: "pi_1" });

    expect(rec.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/payment_intents"]);
    const [pi] = rec.requests;
    expect(pi.form).toEqual({
      amount: "3000",
      currency: "usd",
      customer: "cus_1",
      payment_method: "pm_1",
      "allowed_payment_method_types[0]": "card",
      confirm: "true",
      off_session: "true",
      description: "CodePlan Pro, monthly",
      "metadata[payment_key]": key,
      "metadata[invoice_id]": "inv_42",
      "metadata[user_id]": userId,
    });
    expect(pi.form.return_url).toBeUndefined();
    expect(pi.headers["idempotency-key"]).toBe(key);
  });

  it("PAY-1: startOnSession sends the return URL for 3-D Secure and is not off-session", async () => {
    const userId = await userWithCard();
    const key = `checkout:${randomUUID()}`;
    const result = await port.startOnSession({
      ...charge(userId, key),
      returnUrl: "http://localhost:3000/payments/return",
    });
    expect(result).toEqual({ status: "succeeded", providerPaymentId: "pi_1" });

    expect(rec.requests).toHaveLength(1);
    const [pi] = rec.requests;
    expect(`${pi.method} ${pi.path}`).toBe("POST /v1/payment_intents");
    expect(pi.form.return_url).toBe("http://localhost:3000/payments/return");
    expect(pi.form.off_session).toBeUndefined();
    expect(pi.form).toMatchObject({ amount: "3000", currency: "usd", confirm: "true", "metadata[payment_key]": key });
    expect(pi.headers["idempotency-key"]).toBe(key);
  });

  it("SUB-2: a user without a saved card is not charged at all: no request reaches Stripe", async () => {
    const userId = await makeUser(t.db, new Date());
    expect(await port.chargeOffSession(charge(userId, `renewal:${randomUUID()}:x`))).toEqual({
      status: "failed",
      providerPaymentId: null,
      code: "no_payment_method",
    });
    expect(rec.requests).toEqual([]);
  });

  it("REFUND-1: refund posts the payment intent, the amount and the metadata under the caller's key", async () => {
    const result = await port.refund({
      idempotencyKey: "refund:r1",
      providerPaymentId: "pi_1",
      amountMinor: 500n,
      metadata: { refund_id: "r1" },
    });
    expect(result).toEqual({ status: "succeeded", providerRefundId: "re_1" });
    expect(rec.requests).toHaveLength(1);
    const [refund] = rec.requests;
    expect(`${refund.method} ${refund.path}`).toBe("POST /v1/refunds");
    expect(refund.form).toEqual({ payment_intent: "pi_1", amount: "500", "metadata[refund_id]": "r1" });
    expect(refund.headers["idempotency-key"]).toBe("refund:r1");
  });

  it("REFUND-1: a refund without metadata sends only the payment intent and the amount", async () => {
    expect(await port.refund({ idempotencyKey: "refund:r2", providerPaymentId: "pi_7", amountMinor: 1234n })).toEqual({
      status: "succeeded",
      providerRefundId: "re_1",
    });
    expect(rec.requests.map((r) => [r.method, r.path, r.form, r.headers["idempotency-key"]])).toEqual([
      ["POST", "/v1/refunds", { payment_intent: "pi_7", amount: "1234" }, "refund:r2"],
    ]);
  });

  it("PAY-1: every request carries the SDK's pinned Stripe-Version and the secret key as a bearer token", async () => {
    const userId = await makeUser(t.db, new Date());
    await port.saveCard({
      userId,
      email: "h@example.test",
      paymentMethod: "pm_card_visa",
      returnUrl: RETURN_URL,
      idempotencyKey: `setup:${userId}:h`,
    });
    await port.chargeOffSession(charge(userId, `renewal:${randomUUID()}:h`));
    await port.refund({ idempotencyKey: "refund:h", providerPaymentId: "pi_1", amountMinor: 100n });
    expect(rec.requests).toHaveLength(6);
    for (const r of rec.requests) {
      expect(r.headers["stripe-version"], `${r.method} ${r.path}`).toBe(Stripe.API_VERSION);
      expect(r.headers.authorization, `${r.method} ${r.path}`).toBe("Bearer sk_test_rec");
    }
    expect(Stripe.API_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.[a-z]+$/);
  });

  it("SUB-2: a 402 card decline is an answer: failed with the decline code and the PaymentIntent's id", async () => {
    const userId = await userWithCard();
    rec.override = (r) =>
      r.path === "/v1/payment_intents"
        ? {
            status: 402,
            body: {
              error: {
                type: "card_error",
                code: "card_declined",
                decline_code: "insufficient_funds",
                message: "Your card has insufficient funds.",
                payment_intent: { id: "pi_9", object: "payment_intent", status: "requires_payment_method" },
              },
            },
          }
        : undefined;
    expect(await port.chargeOffSession(charge(userId, `renewal:${randomUUID()}:d`))).toEqual({
      status: "failed",
      providerPaymentId: "pi_9",
      code: "insufficient_funds",
    });
    expect(rec.requests).toHaveLength(1);
  });

  it("SUB-2: a 402 without a decline code fails with the error's code", async () => {
    const userId = await userWithCard();
    rec.override = (r) =>
      r.path === "/v1/payment_intents"
        ? {
            status: 402,
            body: {
              error: {
                type: "card_error",
                code: "authentication_required",
                message: "Authentication required.",
                payment_intent: { id: "pi_10", object: "payment_intent", status: "requires_payment_method" },
              },
            },
          }
        : undefined;
    expect(await port.chargeOffSession(charge(userId, `renewal:${randomUUID()}:a`))).toEqual({
      status: "failed",
      providerPaymentId: "pi_10",
      code: "authentication_required",
    });
  });

  it("SUB-2: 429 rate limited throws PaymentUnavailableError rate_limited after exactly one request (the caller retries with the same key)", async () => {
    const userId = await userWithCard();
    rec.override = (r) =>
      r.path === "/v1/payment_intents"
        ? { status: 429, body: { error: { type: "rate_limit_error", message: "Too many requests." } } }
        : undefined;
    const e = await rejection(port.chargeOffSession(charge(userId, `renewal:${randomUUID()}:r`)));
    expect(e).toBeInstanceOf(PaymentUnavailableError);
    expect((e as PaymentUnavailableError).code).toBe("rate_limited");
    expect(rec.requests).toHaveLength(1);
  });

  it("SUB-2: 500 throws PaymentUnavailableError processor_error after exactly one request", async () => {
    const userId = await userWithCard();
    rec.override = (r) =>
      r.path === "/v1/payment_intents"
        ? { status: 500, body: { error: { type: "api_error", message: "Something went wrong." } } }
        : undefined;
    const e = await rejection(port.chargeOffSession(charge(userId, `renewal:${randomUUID()}:s`)));
    expect(e).toBeInstanceOf(PaymentUnavailableError);
    expect((e as PaymentUnavailableError).code).toBe("processor_error");
    expect(rec.requests).toHaveLength(1);
  });

  it("REFUND-1: a 500 on a refund throws PaymentUnavailableError processor_error after one request, not a failed refund", async () => {
    rec.override = (r) =>
      r.path === "/v1/refunds"
        ? { status: 500, body: { error: { type: "api_error", message: "Something went wrong." } } }
        : undefined;
    const e = await rejection(
      port.refund({ idempotencyKey: "refund:r500", providerPaymentId: "pi_1", amountMinor: 500n }),
    );
    expect(e).toBeInstanceOf(PaymentUnavailableError);
    expect((e as PaymentUnavailableError).code).toBe("processor_error");
    expect(rec.requests).toHaveLength(1);
  });

  it("SUB-2: a 400 (our bug, not the card's) is rethrown as Stripe's error, neither a decline nor 'unavailable'", async () => {
    const userId = await userWithCard();
    rec.override = (r) =>
      r.path === "/v1/payment_intents"
        ? {
            status: 400,
            body: {
              error: {
                type: "invalid_request_error",
                code: "parameter_invalid_integer",
                param: "amount",
                message: "Invalid integer.",
              },
            },
          }
        : undefined;
    const e = await rejection(port.chargeOffSession(charge(userId, `renewal:${randomUUID()}:b`)));
    expect(e).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(e).not.toBeInstanceOf(PaymentUnavailableError);
    expect(rec.requests).toHaveLength(1);
  });

  it("PAY-1: a card declined while saving fails with the decline code and saves nothing", async () => {
    const userId = await makeUser(t.db, new Date());
    rec.override = (r) =>
      r.path === "/v1/setup_intents"
        ? {
            status: 402,
            body: {
              error: {
                type: "card_error",
                code: "card_declined",
                decline_code: "generic_decline",
                message: "Your card was declined.",
                setup_intent: { id: "seti_9", object: "setup_intent", status: "requires_payment_method" },
              },
            },
          }
        : undefined;
    const result = await port.saveCard({
      userId,
      email: "d@example.test",
      paymentMethod: "pm_card_chargeDeclined",
      returnUrl: RETURN_URL,
      idempotencyKey: "setup:u:d",
    });
    expect(result).toEqual({ status: "failed", code: "generic_decline" });
    expect(rec.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/customers", "POST /v1/setup_intents"]);
    expect(await port.savedMethod(userId)).toBeNull();
    expect(await port.canCharge(userId)).toBe(false);
  });

  it("SUB-2: Stripe unreachable (connection refused) throws PaymentUnavailableError processor_unreachable", async () => {
    const userId = await userWithCard();
    const deadPort = stripePort({
      db: t.db,
      stripe: stripeClient({
        secretKey: "sk_test_rec",
        server: { host: "127.0.0.1", port: await closedPort(), protocol: "http" },
      }),
      provider: "stripe-local",
      now: async () => new Date(),
    });
    const e = await rejection(deadPort.chargeOffSession(charge(userId, `renewal:${randomUUID()}:u`)));
    expect(e).toBeInstanceOf(PaymentUnavailableError);
    expect((e as PaymentUnavailableError).code).toBe("processor_unreachable");
    expect(rec.requests).toEqual([]);
  });
});
