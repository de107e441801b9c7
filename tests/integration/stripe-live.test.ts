import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { PaymentPort } from "../../lib/payments/port";
import { stripeClient, stripePort } from "../../lib/payments/stripe";
import { makeUser } from "../support/billing";
import { setupFreshDatabase } from "../support/database";

/**
 * The real port against real Stripe in test mode. Runs only with a test-mode
 * key in STRIPE_SECRET_KEY (never a live one); otherwise it is reported as skipped.
 */

const LIVE = Boolean(process.env.STRIPE_SECRET_KEY?.startsWith("sk_test_"));
const RETURN_URL = "https://example.com/billing/cards";

describe.skipIf(!LIVE)("live Stripe test mode", () => {
  const t = setupFreshDatabase();
  let port: PaymentPort;

  beforeAll(() => {
    port = stripePort({
      db: t.db,
      stripe: stripeClient({ secretKey: process.env.STRIPE_SECRET_KEY!, server: null }),
      provider: "stripe",
      now: async () => new Date(),
    });
  });

  /** A fresh user with the given Stripe test payment method saved through the port. */
  async function userWith(paymentMethod: string) {
    const userId = await makeUser(t.db, new Date());
    const saved = await port.saveCard({
      userId,
      email: `live-${userId}@example.com`,
      paymentMethod,
      returnUrl: RETURN_URL,
      idempotencyKey: `setup:${userId}:${randomUUID()}`,
    });
    return { userId, saved };
  }

  const charge = (userId: string, key: string, amountMinor = 100n) => ({
    idempotencyKey: key,
    userId,
    invoiceId: randomUUID(),
    amountMinor,
    currency: "USD",
    description: "CodePlan live test",
  });

  it("PAY-1: pm_card_visa is saved for off-session use as a Visa ending 4242", { timeout: 60_000 }, async () => {
    const { userId, saved } = await userWith("pm_card_visa");
    expect(saved).toMatchObject({ status: "succeeded", card: { brand: "visa", last4: "4242" } });
    expect(await port.canCharge(userId)).toBe(true);
  });

  it("SUB-2: an off-session charge of 1.00 USD on the saved Visa succeeds", { timeout: 60_000 }, async () => {
    const { userId } = await userWith("pm_card_visa");
    const result = await port.chargeOffSession(charge(userId, `renewal:${randomUUID()}:${new Date().toISOString()}`));
    expect(result.status).toBe("succeeded");
    expect(result.providerPaymentId).toMatch(/^pi_/);
  });

  it("SUB-2: the same idempotency key twice is the same PaymentIntent (one charge)", { timeout: 60_000 }, async () => {
    const { userId } = await userWith("pm_card_visa");
    const req = charge(userId, `renewal:${randomUUID()}:${new Date().toISOString()}`);
    const first = await port.chargeOffSession(req);
    const second = await port.chargeOffSession(req);
    expect(first.status).toBe("succeeded");
    expect(second).toEqual(first);
  });

  it(
    "PAY-1: saving pm_card_chargeDeclined fails with a decline code and saves no card",
    { timeout: 60_000 },
    async () => {
      const { userId, saved } = await userWith("pm_card_chargeDeclined");
      expect(saved.status).toBe("failed");
      expect(["card_declined", "generic_decline"]).toContain((saved as { code: string }).code);
      expect(await port.canCharge(userId)).toBe(false);
    },
  );

  it("REFUND-1: refunding half of a 1.00 USD charge succeeds", { timeout: 60_000 }, async () => {
    const { userId } = await userWith("pm_card_visa");
    const paid = await port.chargeOffSession(charge(userId, `renewal:${randomUUID()}:${new Date().toISOString()}`));
    expect(paid.status).toBe("succeeded");
    const refundId = randomUUID();
    const refund = await port.refund({
      idempotencyKey: `refund:${refundId}`,
      providerPaymentId: paid.providerPaymentId!,
      amountMinor: 50n,
      metadata: { refund_id: refundId },
    });
    expect(refund.status).toBe("succeeded");
    expect((refund as { providerRefundId: string }).providerRefundId).toMatch(/^re_/);
  });
});
