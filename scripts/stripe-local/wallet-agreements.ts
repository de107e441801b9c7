import type { ApiContext, Reply } from "./api-context";
import { invalidParam } from "./api-error";
import { cardErrorReply } from "./card-error-reply";
import { failPayment } from "./payment-intent-outcomes";
import type { IntentError, PaymentIntent, WalletPaymentMethod } from "./stripe-objects";
import { succeedWalletPayment } from "./wallet-payments";

/**
 * Alipay's automatic payments (PAY-3): a method saved by a payment made with
 * `setup_future_usage=off_session` is attached to the customer under an
 * agreement, and is then charged at once, on- or off-session, with no page
 * for the buyer. The buyer's side is played by a test helper: a balance too
 * low (the charge fails, the agreement stays) or the agreement cancelled in
 * the wallet app (the method is detached, `payment_method.detached`).
 */

const DETACHED =
  "This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.";

/** The saved wallet method `id`, if it is one; checks it can be charged for `customer` before anything changes. */
export function savedWalletFor(
  ctx: ApiContext,
  id: string,
  input: { customer: string | null; types: string[] | null; param: string },
): WalletPaymentMethod | null {
  const pm = ctx.state.walletMethods[id];
  if (!pm) return null;
  const agreement = ctx.state.walletAgreements[id];
  if (!agreement) throw invalidParam(input.param, `The PaymentMethod ${id} was not saved for future payments.`);
  if (agreement === "revoked" || !pm.customer) throw invalidParam(input.param, DETACHED);
  if (!input.customer)
    throw invalidParam("customer", `The PaymentMethod ${id} is attached to a Customer: pass that customer.`);
  if (pm.customer !== input.customer)
    throw invalidParam(input.param, `The provided PaymentMethod belongs to a different Customer (${pm.customer}).`);
  if (input.types && !input.types.includes(pm.type))
    throw invalidParam(
      input.param,
      `The PaymentMethod provided (${pm.type}) is not allowed for this PaymentIntent, which only allows: ${input.types.join(", ")}.`,
    );
  return pm;
}

/** Charges a saved Alipay method under its agreement: paid at once, or refused by the buyer's wallet (402). */
export function chargeSavedWallet(ctx: ApiContext, pi: PaymentIntent, pm: WalletPaymentMethod): Reply {
  Object.assign(pi, { payment_method: pm.id, payment_method_types: [pm.type] } satisfies Partial<PaymentIntent>);
  if (ctx.state.walletAgreements[pm.id] === "insufficient_funds") {
    const error: IntentError = {
      type: "card_error",
      code: "payment_intent_payment_attempt_failed",
      decline_code: "insufficient_funds",
      doc_url: "https://stripe.com/docs/error-codes/payment-intent-payment-attempt-failed",
      message: "The buyer's Alipay account cannot pay this amount.",
    };
    failPayment(ctx, pi, error);
    return cardErrorReply(error, { payment_intent: pi });
  }
  succeedWalletPayment(ctx, pi, pm);
  return { status: 200, body: pi };
}

/** The buyer's side of an agreement changes (test helper): the balance, or the agreement cancelled (detached). */
export function setWalletAgreement(
  ctx: ApiContext,
  pm: WalletPaymentMethod,
  state: "active" | "insufficient_funds" | "revoked",
): void {
  if (!ctx.state.walletAgreements[pm.id] || ctx.state.walletAgreements[pm.id] === "revoked")
    throw invalidParam("payment_method", `The PaymentMethod ${pm.id} has no active agreement.`);
  ctx.state.walletAgreements[pm.id] = state;
  if (state === "revoked") detachWallet(ctx, pm);
}

/** The agreement ends (the merchant detached the method, or the buyer cancelled it): never charged again. */
export function detachWallet(ctx: ApiContext, pm: WalletPaymentMethod): void {
  const customer = pm.customer ? ctx.state.customers[pm.customer] : undefined;
  pm.customer = null;
  ctx.state.walletAgreements[pm.id] = "revoked";
  ctx.emit("payment_method.detached", pm);
  if (customer?.invoice_settings.default_payment_method === pm.id) {
    customer.invoice_settings.default_payment_method = null;
    ctx.emit("customer.updated", customer);
  }
}
