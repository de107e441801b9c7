import type Stripe from "stripe";
import type { ChargeRequest, ChargeResult, PaymentPort, SetupResult } from "../port";
import { ensureCustomer, rememberCard, type CustomerStore } from "./customers";
import { cardRefusalOf } from "./errors";

/** What a PaymentIntent's state means to the billing engine. */
export function chargeResultOf(pi: Stripe.PaymentIntent): ChargeResult {
  if (pi.status === "succeeded") return { status: "succeeded", providerPaymentId: pi.id };
  if (pi.status === "requires_action" && pi.next_action?.redirect_to_url?.url)
    return { status: "requires_action", providerPaymentId: pi.id, actionUrl: pi.next_action.redirect_to_url.url };
  // Still open (including a 3-D Secure step handled in the page by Stripe.js): the webhook says how it ends.
  if (pi.status === "processing" || pi.status === "requires_capture" || pi.status === "requires_confirmation" || pi.status === "requires_action")
    return { status: "pending", providerPaymentId: pi.id };
  const error = pi.last_payment_error;
  return { status: "failed", providerPaymentId: pi.id, code: error?.decline_code || error?.code || (pi.status === "canceled" ? "canceled" : "requires_payment_method") };
}

/**
 * The payment port on Stripe: customers, SetupIntents to save a card,
 * PaymentIntents on-session (3-D Secure, PAY-1) and off-session (renewals),
 * refunds. Stripe only moves money; CodePlan computed every amount. Each call
 * carries the caller's domain-derived key as Stripe's Idempotency-Key, and the
 * PaymentIntent carries it in its metadata, so a webhook finds its payment.
 */
export function stripePort(store: CustomerStore): PaymentPort {
  const { db, stripe, provider } = store;
  const customerRow = (userId: string) => db.paymentCustomer.findUnique({ where: { userId_provider: { userId, provider } } });

  async function charge(req: ChargeRequest, session: { offSession: true } | { offSession: false; returnUrl: string }): Promise<ChargeResult> {
    const row = await customerRow(req.userId);
    if (!row?.paymentMethodId) return { status: "failed", providerPaymentId: null, code: "no_payment_method" };
    try {
      const pi = await stripe.paymentIntents.create(
        {
          amount: Number(req.amountMinor),
          currency: req.currency.toLowerCase(),
          customer: row.customerId,
          payment_method: row.paymentMethodId,
          allowed_payment_method_types: ["card"],
          confirm: true,
          description: req.description,
          metadata: { payment_key: req.idempotencyKey, invoice_id: req.invoiceId, user_id: req.userId },
          ...(session.offSession ? { off_session: true } : { return_url: session.returnUrl }),
        },
        { idempotencyKey: req.idempotencyKey },
      );
      return chargeResultOf(pi);
    } catch (e) {
      const refusal = cardRefusalOf(e);
      return { status: "failed", providerPaymentId: refusal.paymentIntentId, code: refusal.code };
    }
  }

  async function setupResultOf(userId: string, si: Stripe.SetupIntent): Promise<SetupResult> {
    if (si.status === "succeeded" && si.payment_method) {
      const pmId = typeof si.payment_method === "string" ? si.payment_method : si.payment_method.id;
      return { status: "succeeded", card: await rememberCard(store, userId, pmId) };
    }
    if (si.status === "requires_action" && si.next_action?.redirect_to_url?.url) return { status: "requires_action", actionUrl: si.next_action.redirect_to_url.url };
    const error = si.last_setup_error;
    return { status: "failed", code: error?.decline_code || error?.code || "setup_failed" };
  }

  return {
    name: provider,
    canCharge: async (userId) => Boolean((await customerRow(userId))?.paymentMethodId),
    chargeOffSession: (req) => charge(req, { offSession: true }),
    startOnSession: (req) => charge(req, { offSession: false, returnUrl: req.returnUrl }),
    async paymentStatus(providerPaymentId) {
      try {
        return chargeResultOf(await stripe.paymentIntents.retrieve(providerPaymentId));
      } catch (e) {
        const refusal = cardRefusalOf(e);
        return { status: "failed", providerPaymentId, code: refusal.code };
      }
    },
    async refund(req) {
      try {
        const refund = await stripe.refunds.create(
          { payment_intent: req.providerPaymentId, amount: Number(req.amountMinor), metadata: req.metadata ?? {} },
          { idempotencyKey: req.idempotencyKey },
        );
        return refund.status === "failed" || refund.status === "canceled"
          ? { status: "failed", code: refund.failure_reason ?? "refund_failed" }
          : { status: "succeeded", providerRefundId: refund.id };
      } catch (e) {
        const refusal = cardRefusalOf(e);
        return { status: "failed", code: refusal.code };
      }
    },
    async savedCard(userId) {
      const row = await customerRow(userId);
      if (!row?.paymentMethodId) return null;
      return { brand: row.cardBrand ?? "card", last4: row.cardLast4 ?? "????", expMonth: row.cardExpMonth ?? 0, expYear: row.cardExpYear ?? 0 };
    },
    async saveCard(req) {
      const customer = await ensureCustomer(store, req.userId, req.email);
      try {
        const si = await stripe.setupIntents.create(
          {
            customer,
            payment_method: req.paymentMethod,
            allowed_payment_method_types: ["card"],
            usage: "off_session",
            confirm: true,
            return_url: req.returnUrl,
            metadata: { user_id: req.userId },
          },
          { idempotencyKey: req.idempotencyKey },
        );
        return await setupResultOf(req.userId, si);
      } catch (e) {
        return { status: "failed", code: cardRefusalOf(e).code };
      }
    },
    async setupStatus(userId, setupId) {
      const si = await stripe.setupIntents.retrieve(setupId);
      // A setup for someone else's customer is not this user's card.
      const row = await customerRow(userId);
      const customer = typeof si.customer === "string" ? si.customer : si.customer?.id;
      if (!row || customer !== row.customerId) return { status: "failed", code: "setup_not_found" };
      return setupResultOf(userId, si);
    },
  };
}
