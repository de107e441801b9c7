import { ok, type ApiContext, type Route } from "../api-context";
import { invalidParam, invalidRequest, missingParam, noSuch } from "../api-error";
import { CURRENCIES } from "../currencies";
import type { FormObject } from "../form-body";
import { newId } from "../new-id";
import {
  applyMetadata,
  optAmount,
  optBool,
  optEnum,
  optMetadata,
  optObject,
  optString,
  optUrl,
  readPaymentMethodTypes,
  reqString,
} from "../params";
import { confirmPayment } from "../payment-intent-outcomes";
import { checkPaymentMethod, materializePaymentMethod } from "../payment-method-use";
import type { PaymentIntent } from "../stripe-objects";
import { secretSuffix } from "../test-cards";
import { getCustomer } from "./customers";
import { chargeSavedWallet, savedWalletFor } from "../wallet-agreements";
import {
  checkWalletConfirm,
  createWalletMethod,
  startWalletPayment,
  walletSetupFutureUsageOf,
  walletTypeOf,
} from "../wallet-payments";

export function getPaymentIntent(ctx: ApiContext, id: string, param = "id"): PaymentIntent {
  const pi = ctx.state.paymentIntents[id];
  if (!pi) throw noSuch("payment_intent", id, param);
  return pi;
}

function unexpectedState(pi: PaymentIntent, action: string): never {
  throw invalidRequest(`You cannot ${action} this PaymentIntent because it has a status of ${pi.status}.`, {
    code: "payment_intent_unexpected_state",
    payment_intent: structuredClone(pi),
  });
}

/** `off_session` is a boolean, or Stripe's older "one_off" / "recurring". */
function readOffSession(params: FormObject): boolean | undefined {
  const v = optString(params, "off_session");
  if (v === "one_off" || v === "recurring") return true;
  return optBool(params, "off_session");
}

const SETUP_FUTURE_USAGE = ["on_session", "off_session"] as const;
const CONFIRMABLE: PaymentIntent["status"][] = ["requires_payment_method", "requires_confirmation", "requires_action"];
const CANCELABLE: PaymentIntent["status"][] = [
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
  "requires_capture",
  "processing",
];

export const paymentIntentRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/payment_intents",
    handler(ctx, params) {
      const amount = optAmount(params, "amount");
      if (amount === undefined) throw missingParam("amount");
      const currency = reqString(params, "currency").toLowerCase();
      if (!CURRENCIES.has(currency)) {
        throw invalidParam(
          "currency",
          `Invalid currency: ${currency}. Stripe currently supports these currencies: ${[...CURRENCIES].join(", ")}`,
        );
      }
      const customer = optString(params, "customer") || null;
      const pmId = optString(params, "payment_method") || null;
      const confirm = optBool(params, "confirm") ?? false;
      const offSession = readOffSession(params) ?? false;
      const setupFutureUsage = optEnum(params, "setup_future_usage", SETUP_FUTURE_USAGE) ?? null;
      const returnUrl = optUrl(params, "return_url");
      const description = optString(params, "description") || null;
      const receiptEmail = optString(params, "receipt_email") || null;
      const metadata = optMetadata(params);
      const automatic = optBool(optObject(params, "automatic_payment_methods") ?? {}, "enabled") ?? false;
      const types = readPaymentMethodTypes(params);
      const wallet = walletTypeOf(params);
      if (customer) getCustomer(ctx, customer, "customer");
      const saved = pmId ? savedWalletFor(ctx, pmId, { customer, types, param: "payment_method" }) : null;
      if (pmId && !saved) checkPaymentMethod(ctx, pmId, "payment_method", customer);
      if (offSession && !confirm)
        throw invalidParam("off_session", "You can only pass in `off_session` when `confirm` is true.");
      if (wallet && confirm) checkWalletConfirm(params, wallet, { types, offSession, returnUrl });
      if (confirm && !pmId && !wallet) throw missingParam("payment_method");

      const id = newId("pi");
      const pm = pmId && !saved ? materializePaymentMethod(ctx, pmId) : null;
      const walletPm = wallet ? createWalletMethod(ctx, wallet) : null;
      const walletFuture = wallet === "alipay" ? walletSetupFutureUsageOf(params, wallet) : undefined;
      const pi: PaymentIntent = {
        id,
        object: "payment_intent",
        allowed_payment_method_types: types,
        amount,
        amount_capturable: 0,
        amount_received: 0,
        application: null,
        application_fee_amount: null,
        automatic_payment_methods: automatic ? { allow_redirects: "always", enabled: true } : null,
        canceled_at: null,
        cancellation_reason: null,
        capture_method: "automatic",
        client_secret: `${id}_secret_${secretSuffix()}`,
        confirmation_method: "automatic",
        created: ctx.now(),
        currency,
        customer,
        customer_account: null,
        description,
        excluded_payment_method_types: null,
        last_payment_error: null,
        latest_charge: null,
        livemode: false,
        managed_payments: null,
        metadata: applyMetadata({}, metadata),
        next_action: null,
        on_behalf_of: null,
        payment_method: pm?.id ?? walletPm?.id ?? saved?.id ?? null,
        payment_method_configuration_details: null,
        payment_method_options: {
          card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" },
          ...((walletFuture === "off_session" || walletFuture === "none") && {
            alipay: { setup_future_usage: walletFuture },
          }),
        },
        payment_method_types: types ?? ["card"],
        payment_record: null,
        processing: null,
        receipt_email: receiptEmail,
        review: null,
        setup_future_usage: setupFutureUsage,
        shipping: null,
        source: null,
        statement_descriptor: null,
        statement_descriptor_suffix: null,
        status: pm || walletPm || saved ? "requires_confirmation" : "requires_payment_method",
        transfer_data: null,
        transfer_group: null,
      };
      ctx.state.paymentIntents[id] = pi;
      if (returnUrl) ctx.state.returnUrls[id] = returnUrl;
      ctx.emit("payment_intent.created", pi);
      if (confirm && walletPm) return startWalletPayment(ctx, pi, walletPm, returnUrl ?? null);
      if (confirm && saved) return chargeSavedWallet(ctx, pi, saved);
      return confirm && pm ? confirmPayment(ctx, pi, pm, offSession) : ok(pi);
    },
  },
  {
    method: "GET",
    pattern: "/v1/payment_intents/:id",
    handler: (ctx, _params, { id }) => ok(getPaymentIntent(ctx, id)),
  },
  {
    method: "POST",
    pattern: "/v1/payment_intents/:id",
    handler(ctx, params, { id }) {
      const pi = getPaymentIntent(ctx, id);
      const metadata = optMetadata(params);
      const description = optString(params, "description");
      pi.metadata = applyMetadata(pi.metadata, metadata);
      if (description !== undefined) pi.description = description || null;
      ctx.emit("payment_intent.updated", pi);
      return ok(pi);
    },
  },
  {
    method: "POST",
    pattern: "/v1/payment_intents/:id/confirm",
    handler(ctx, params, { id }) {
      const pi = getPaymentIntent(ctx, id);
      const pmParam = optString(params, "payment_method") || null;
      const returnUrl = optUrl(params, "return_url");
      const offSession = readOffSession(params) ?? false;
      const setupFutureUsage = optEnum(params, "setup_future_usage", SETUP_FUTURE_USAGE);
      if (!CONFIRMABLE.includes(pi.status)) unexpectedState(pi, "confirm");
      const savedId = walletTypeOf(params) ? null : (pmParam ?? pi.payment_method);
      const saved =
        savedId && ctx.state.walletAgreements[savedId]
          ? savedWalletFor(ctx, savedId, {
              customer: pi.customer,
              types: pi.allowed_payment_method_types,
              param: "payment_method",
            })
          : null;
      if (saved) return chargeSavedWallet(ctx, pi, saved);
      const wallet =
        walletTypeOf(params) ?? (pi.payment_method ? ctx.state.walletMethods[pi.payment_method]?.type : undefined);
      if (wallet) {
        checkWalletConfirm(params, wallet, {
          types: pi.allowed_payment_method_types,
          offSession,
          returnUrl: returnUrl ?? ctx.state.returnUrls[id],
        });
        const pm =
          walletTypeOf(params) || !pi.payment_method
            ? createWalletMethod(ctx, wallet)
            : ctx.state.walletMethods[pi.payment_method];
        if (returnUrl) ctx.state.returnUrls[id] = returnUrl;
        return startWalletPayment(ctx, pi, pm, ctx.state.returnUrls[id] ?? null);
      }
      if (pmParam) checkPaymentMethod(ctx, pmParam, "payment_method", pi.customer);
      const pmId = pmParam ?? pi.payment_method;
      if (!pmId) throw missingParam("payment_method");

      if (returnUrl) ctx.state.returnUrls[id] = returnUrl;
      if (setupFutureUsage) pi.setup_future_usage = setupFutureUsage;
      return confirmPayment(ctx, pi, materializePaymentMethod(ctx, pmId), offSession);
    },
  },
  {
    method: "POST",
    pattern: "/v1/payment_intents/:id/cancel",
    handler(ctx, params, { id }) {
      const pi = getPaymentIntent(ctx, id);
      const reason = optEnum(params, "cancellation_reason", [
        "duplicate",
        "fraudulent",
        "requested_by_customer",
        "abandoned",
      ] as const);
      if (!CANCELABLE.includes(pi.status)) unexpectedState(pi, "cancel");
      Object.assign(pi, {
        status: "canceled",
        canceled_at: ctx.now(),
        cancellation_reason: reason ?? null,
        next_action: null,
      } satisfies Partial<PaymentIntent>);
      // A buyer still at the wallet page can no longer pay it.
      if (ctx.state.walletAttempts[id]?.status === "pending") ctx.state.walletAttempts[id].status = "abandoned";
      ctx.emit("payment_intent.canceled", pi);
      return ok(pi);
    },
  },
];
