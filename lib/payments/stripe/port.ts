import type Stripe from "stripe";
import {
  isWalletMethod,
  type ChargeRequest,
  type ChargeResult,
  type PayMethod,
  type PaymentPort,
  type SetupResult,
  type WalletMethod,
} from "../port";
import { ensureCustomer, rememberCard, type CustomerStore } from "./customers";
import { cardRefusalOf } from "./errors";
import {
  forgetSavedMethod,
  isDetachedMethodError,
  methodDetached,
  rememberPayment,
  removeSavedMethod,
  savedMethodOf,
} from "./saved-methods";

/** What a PaymentIntent's state means to the billing engine. */
export function chargeResultOf(pi: Stripe.PaymentIntent): ChargeResult {
  if (pi.status === "succeeded") return { status: "succeeded", providerPaymentId: pi.id };
  const action = pi.status === "requires_action" ? walletActionOf(pi) : null;
  if (action) return { status: "requires_action", providerPaymentId: pi.id, ...action };
  // Still open (including a 3-D Secure step handled in the page by Stripe.js): the webhook says how it ends.
  if (
    pi.status === "processing" ||
    pi.status === "requires_capture" ||
    pi.status === "requires_confirmation" ||
    pi.status === "requires_action"
  )
    return { status: "pending", providerPaymentId: pi.id };
  const error = pi.last_payment_error;
  return {
    status: "failed",
    providerPaymentId: pi.id,
    code: error?.decline_code || error?.code || (pi.status === "canceled" ? "canceled" : "requires_payment_method"),
  };
}

/**
 * Where the customer goes next: 3-D Secure and Alipay send the browser to a
 * page (`redirect_to_url`, `alipay_handle_redirect`); WeChat Pay gives a QR
 * code's data to show, and a hosted page with the same code (PAY-3).
 */
function walletActionOf(pi: Stripe.PaymentIntent): { actionUrl: string; qrData?: string } | null {
  const next = pi.next_action;
  if (next?.redirect_to_url?.url) return { actionUrl: next.redirect_to_url.url };
  if (next?.alipay_handle_redirect?.url) return { actionUrl: next.alipay_handle_redirect.url };
  const qr = next?.wechat_pay_display_qr_code;
  if (qr?.data) return { actionUrl: qr.hosted_instructions_url, qrData: qr.data };
  return null;
}

/**
 * The PaymentIntent fields of an on-session wallet payment (PAY-3): the
 * wallet's type and, when the buyer saves Alipay for renewals, the request to
 * keep it for off-session use (the buyer signs the agreement in Alipay).
 */
function walletIntent(
  method: WalletMethod,
  returnUrl: string,
  save: boolean,
): Partial<Stripe.PaymentIntentCreateParams> {
  return {
    allowed_payment_method_types: [method],
    payment_method_data: { type: method },
    // WeChat Pay needs to know where its code is shown; Alipay brings the buyer back to return_url.
    ...(method === "wechat_pay"
      ? { payment_method_options: { wechat_pay: { client: "web" } } }
      : {
          return_url: returnUrl,
          ...(save && { payment_method_options: { alipay: { setup_future_usage: "off_session" } } }),
        }),
  };
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
  const customerRow = (userId: string) =>
    db.paymentCustomer.findUnique({ where: { userId_provider: { userId, provider } } });

  async function charge(
    req: ChargeRequest,
    session:
      { offSession: true } | { offSession: false; returnUrl: string; method?: PayMethod; saveForRenewals?: boolean },
  ): Promise<ChargeResult> {
    const row = await customerRow(req.userId);
    const saved = row?.paymentMethodId ? { id: row.paymentMethodId, type: row.methodType } : null;
    const asked = session.offSession ? undefined : session.method;
    // A wallet paid there and then, unless it is Alipay with an agreement already saved: that is charged under it.
    const wallet = isWalletMethod(asked) && !(asked === "alipay" && saved?.type === "alipay") ? asked : null;
    if (!wallet && !saved) return { status: "failed", providerPaymentId: null, code: "no_payment_method" };
    const save = !session.offSession && Boolean(session.saveForRenewals) && wallet === "alipay";
    const customer = save ? await ensureCustomer(store, req.userId, await emailOf(req.userId)) : row?.customerId;
    const common = {
      amount: Number(req.amountMinor),
      currency: req.currency.toLowerCase(),
      confirm: true,
      description: req.description,
      metadata: { payment_key: req.idempotencyKey, invoice_id: req.invoiceId, user_id: req.userId },
    };
    try {
      const pi = await stripe.paymentIntents.create(
        wallet
          ? {
              ...common,
              ...(customer && { customer }),
              ...walletIntent(wallet, (session as { returnUrl: string }).returnUrl, save),
            }
          : {
              ...common,
              customer: row!.customerId,
              payment_method: saved!.id,
              allowed_payment_method_types: [saved!.type],
              ...(session.offSession ? { off_session: true } : { return_url: session.returnUrl }),
            },
        { idempotencyKey: req.idempotencyKey },
      );
      return chargeResultOf(pi);
    } catch (e) {
      // The saved method is gone at the processor (an agreement ended, its event not in yet): nothing was charged.
      if (!wallet && isDetachedMethodError(e)) {
        await forgetSavedMethod(store, saved!.id, req.userId);
        return { status: "failed", providerPaymentId: null, code: "no_payment_method" };
      }
      const refusal = cardRefusalOf(e);
      return { status: "failed", providerPaymentId: refusal.paymentIntentId, code: refusal.code };
    }
  }

  const emailOf = async (userId: string) =>
    (await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } })).email;

  async function setupResultOf(userId: string, si: Stripe.SetupIntent): Promise<SetupResult> {
    if (si.status === "succeeded" && si.payment_method) {
      const pmId = typeof si.payment_method === "string" ? si.payment_method : si.payment_method.id;
      return { status: "succeeded", card: await rememberCard(store, userId, pmId) };
    }
    if (si.status === "requires_action" && si.next_action?.redirect_to_url?.url)
      return { status: "requires_action", actionUrl: si.next_action.redirect_to_url.url };
    const error = si.last_setup_error;
    return { status: "failed", code: error?.decline_code || error?.code || "setup_failed" };
  }

  return {
    name: provider,
    canCharge: async (userId) => Boolean((await customerRow(userId))?.paymentMethodId),
    chargeOffSession: (req) => charge(req, { offSession: true }),
    startOnSession: (req) =>
      charge(req, {
        offSession: false,
        returnUrl: req.returnUrl,
        method: req.method,
        saveForRenewals: req.saveForRenewals,
      }),
    async cancelPayment(providerPaymentId) {
      try {
        return chargeResultOf(
          await stripe.paymentIntents.cancel(providerPaymentId, { cancellation_reason: "abandoned" }),
        );
      } catch (e) {
        // Already settled one way or the other: say where it stands.
        if ((e as { code?: string }).code === "payment_intent_unexpected_state")
          return chargeResultOf(await stripe.paymentIntents.retrieve(providerPaymentId));
        return { status: "failed", providerPaymentId, code: cardRefusalOf(e).code };
      }
    },
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
    savedMethod: async (userId) => savedMethodOf(await customerRow(userId)),
    rememberPayment: (userId, providerPaymentId) => rememberPayment(store, userId, providerPaymentId),
    removeSavedMethod: (userId) => removeSavedMethod(store, userId),
    methodDetached: (paymentMethodId) => methodDetached(store, paymentMethodId),
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
