import type { ApiContext, Reply } from "./api-context";
import { invalidParam } from "./api-error";
import { base62, newId } from "./new-id";
import type { FormObject } from "./form-body";
import { optObject, optString } from "./params";
import { createCharge } from "./payment-intent-outcomes";
import type { PaymentIntent, WalletChargeDetails, WalletPaymentMethod } from "./stripe-objects";

/**
 * Alipay and WeChat Pay as Stripe answers them (PAY-3). Confirming sends the
 * intent to requires_action: Alipay with `alipay_handle_redirect` (a page to
 * send the buyer to, who comes back to return_url), WeChat Pay with
 * `wechat_pay_display_qr_code` (data for a QR code the buyer scans). Both lead
 * to this server's stand-in wallet page, where the buyer approves, declines or
 * walks away; the outcome arrives as payment_intent.* webhooks, as with Stripe.
 */
export const WALLET_TYPES = ["alipay", "wechat_pay"] as const;
export type WalletType = (typeof WALLET_TYPES)[number];

const isWalletType = (t: string | undefined): t is WalletType => t === "alipay" || t === "wechat_pay";

/** The wallet named by `payment_method_data[type]`, if any. */
export function walletTypeOf(params: FormObject): WalletType | null {
  const type = optString(optObject(params, "payment_method_data") ?? {}, "type");
  return isWalletType(type) ? type : null;
}

/**
 * Whether the buyer is asked to let the merchant charge this wallet later
 * (`payment_method_options[alipay][setup_future_usage]` or the top-level
 * `setup_future_usage`): Alipay then signs an automatic-payment agreement.
 */
export function walletSetupFutureUsageOf(params: FormObject, type: WalletType): string | undefined {
  const options = optObject(optObject(params, "payment_method_options") ?? {}, type) ?? {};
  return optString(options, "setup_future_usage") ?? optString(params, "setup_future_usage");
}

/** Whether an intent, once paid, leaves its Alipay method saved under an agreement. */
export const savesWallet = (pi: PaymentIntent) =>
  pi.setup_future_usage === "off_session" || pi.payment_method_options.alipay?.setup_future_usage === "off_session";

/**
 * Checks a wallet confirmation before anything changes, with Stripe's rules:
 * the type must be allowed, a new wallet payment is never off-session, only
 * Alipay can be saved for later (off_session, for a customer), Alipay needs a
 * return_url, WeChat Pay the client its code is shown on. (Without a
 * customer the paid method is not attached, as with Stripe.)
 */
export function checkWalletConfirm(
  params: FormObject,
  type: WalletType,
  input: { types: string[] | null; offSession: boolean; returnUrl: string | undefined },
): void {
  if (input.types && !input.types.includes(type))
    throw invalidParam(
      "payment_method_data[type]",
      `The payment method type provided: ${type} is invalid. This payment_intent only allows: ${input.types.join(", ")}.`,
    );
  if (input.offSession)
    throw invalidParam("off_session", `The payment method type ${type} cannot be used off-session without a mandate.`);
  const future = walletSetupFutureUsageOf(params, type);
  if (future && future !== "none") {
    if (type !== "alipay" || future !== "off_session")
      throw invalidParam(
        "setup_future_usage",
        `The payment method type ${type} does not support setup_future_usage=${future}.`,
      );
  }
  if (type === "alipay" && !input.returnUrl)
    throw invalidParam(
      "return_url",
      "A return_url must be specified to confirm a PaymentIntent with an alipay PaymentMethod.",
    );
  const client = optString(optObject(optObject(params, "payment_method_options") ?? {}, "wechat_pay") ?? {}, "client");
  if (type === "wechat_pay" && !client)
    throw invalidParam(
      "payment_method_options[wechat_pay][client]",
      "Missing required param: payment_method_options[wechat_pay][client].",
      "parameter_missing",
    );
}

export function createWalletMethod(ctx: ApiContext, type: WalletType): WalletPaymentMethod {
  const pm: WalletPaymentMethod = {
    id: newId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
    },
    created: ctx.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type,
    [type]: {},
  };
  ctx.state.walletMethods[pm.id] = pm;
  return pm;
}

/** The intent now waits for the buyer at the wallet page. */
export function startWalletPayment(
  ctx: ApiContext,
  pi: PaymentIntent,
  pm: WalletPaymentMethod,
  returnUrl: string | null,
): Reply {
  const page = `${ctx.publicUrl}/wallet/${pi.id}`;
  Object.assign(pi, {
    status: "requires_action",
    payment_method: pm.id,
    payment_method_types: [pm.type],
    payment_method_options:
      pm.type === "wechat_pay"
        ? { wechat_pay: { app_id: null, client: "web" } }
        : { alipay: { ...pi.payment_method_options.alipay } },
    last_payment_error: null,
    next_action:
      pm.type === "alipay"
        ? {
            type: "alipay_handle_redirect",
            alipay_handle_redirect: { native_data: null, native_url: null, return_url: returnUrl, url: page },
          }
        : {
            type: "wechat_pay_display_qr_code",
            // The code carries the wallet page's address: scanning it (or opening it) plays the buyer's phone.
            wechat_pay_display_qr_code: {
              data: page,
              hosted_instructions_url: `${page}?hosted=1`,
              image_data_url: "",
              image_url_png: `${page}/qr.png`,
              image_url_svg: `${page}/qr.svg`,
            },
          },
  } satisfies Partial<PaymentIntent>);
  ctx.state.walletAttempts[pi.id] = { status: "pending", returnUrl };
  ctx.emit("payment_intent.requires_action", pi);
  return { status: 200, body: pi };
}

/** The wallet paid: a charge, the intent succeeded, and their events (at the wallet page or under an agreement). */
export function succeedWalletPayment(ctx: ApiContext, pi: PaymentIntent, pm: WalletPaymentMethod): void {
  const charge = createCharge(ctx, pi, pm, chargeDetails(pm.type));
  Object.assign(pi, {
    status: "succeeded",
    amount_received: pi.amount,
    latest_charge: charge.id,
    next_action: null,
    last_payment_error: null,
  } satisfies Partial<PaymentIntent>);
  ctx.emit("charge.succeeded", charge);
  ctx.emit("payment_intent.succeeded", pi);
}

function chargeDetails(type: WalletType): WalletChargeDetails {
  const fingerprint = base62(16);
  const transaction_id = `${Date.now()}${base62(8)}`;
  return type === "alipay"
    ? { type, alipay: { buyer_id: `2088${base62(12)}`, fingerprint, transaction_id } }
    : { type, wechat_pay: { fingerprint, transaction_id } };
}

/** The buyer's answer at the wallet page, applied once: approved (paid), declined (failed), or walked away (nothing happens). */
export function finishWalletPayment(
  ctx: ApiContext,
  pi: PaymentIntent,
  answer: "approve" | "decline" | "abandon",
): void {
  const attempt = ctx.state.walletAttempts[pi.id];
  if (!attempt || attempt.status !== "pending" || pi.status !== "requires_action") return;
  const pm = pi.payment_method ? ctx.state.walletMethods[pi.payment_method] : undefined;
  if (!pm) return;
  if (answer === "abandon") {
    attempt.status = "abandoned";
    return;
  }
  if (answer === "approve") {
    // The agreement is signed with the payment: the method is now the customer's, for off-session charges.
    if (pm.type === "alipay" && savesWallet(pi) && pi.customer) {
      pm.customer = pi.customer;
      ctx.state.walletAgreements[pm.id] = "active";
      ctx.emit("payment_method.attached", pm);
    }
    attempt.status = "approved";
    succeedWalletPayment(ctx, pi, pm);
    return;
  }
  Object.assign(pi, {
    status: "requires_payment_method",
    payment_method: null,
    next_action: null,
    last_payment_error: {
      type: "invalid_request_error",
      code: "payment_intent_payment_attempt_failed",
      doc_url: "https://stripe.com/docs/error-codes/payment-intent-payment-attempt-failed",
      message: `The buyer declined the payment in ${pm.type === "alipay" ? "Alipay" : "WeChat Pay"}.`,
    },
  } satisfies Partial<PaymentIntent>);
  attempt.status = "declined";
  ctx.emit("payment_intent.payment_failed", pi);
}
