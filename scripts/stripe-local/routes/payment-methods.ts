import { ok, type ApiContext, type Route } from "../api-context";
import { invalidParam, missingParam, noSuch } from "../api-error";
import { attemptCard } from "../card-attempt";
import { cardErrorReply } from "../card-error-reply";
import type { FormObject } from "../form-body";
import { listPage } from "../list-page";
import { optEnum, optString, reqString } from "../params";
import { attachPaymentMethod, checkPaymentMethod, materializePaymentMethod } from "../payment-method-use";
import type { PaymentMethod, WalletPaymentMethod } from "../stripe-objects";
import { detachWallet, setWalletAgreement } from "../wallet-agreements";
import { getCustomer } from "./customers";

function getPaymentMethod(ctx: ApiContext, id: string): PaymentMethod | WalletPaymentMethod {
  const pm = ctx.state.paymentMethods[id] ?? ctx.state.walletMethods[id];
  if (!pm) throw noSuch("PaymentMethod", id);
  return pm;
}

function listForCustomer(ctx: ApiContext, customerId: string, params: FormObject, url: string) {
  const type = optString(params, "type");
  const items = [...Object.values(ctx.state.paymentMethods), ...Object.values(ctx.state.walletMethods)]
    .filter((pm) => pm.customer === customerId && (!type || pm.type === type))
    .reverse(); // newest first, as Stripe lists
  return listPage(items, params, url);
}

export const paymentMethodRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/v1/payment_methods/:id",
    handler: (ctx, _params, { id }) => ok(getPaymentMethod(ctx, id)),
  },
  {
    method: "GET",
    pattern: "/v1/payment_methods",
    handler(ctx, params) {
      const customer = optString(params, "customer");
      if (!customer) throw missingParam("customer");
      getCustomer(ctx, customer, "customer");
      return ok(listForCustomer(ctx, customer, params, "/v1/payment_methods"));
    },
  },
  {
    method: "GET",
    pattern: "/v1/customers/:id/payment_methods",
    handler(ctx, params, { id }) {
      getCustomer(ctx, id);
      return ok(listForCustomer(ctx, id, params, `/v1/customers/${id}/payment_methods`));
    },
  },
  {
    method: "POST",
    pattern: "/v1/payment_methods/:id/attach",
    handler(ctx, params, { id }) {
      const customer = reqString(params, "customer");
      getCustomer(ctx, customer, "customer");
      checkPaymentMethod(ctx, id, "payment_method", customer);
      const pm = materializePaymentMethod(ctx, id);
      // Attaching runs a card check: a card that declines everything cannot be saved.
      const check = attemptCard(ctx.state.cards[pm.id].behaviour, pm, { charging: false, offSession: false });
      if (check.kind === "decline") return cardErrorReply(check.error);
      attachPaymentMethod(ctx, pm, customer);
      return ok(pm);
    },
  },
  {
    method: "POST",
    pattern: "/v1/payment_methods/:id/detach",
    handler(ctx, _params, { id }) {
      const pm = getPaymentMethod(ctx, id);
      if (!pm.customer) {
        throw invalidParam(
          "payment_method",
          "The payment method you provided is not attached to a customer so detachment is impossible.",
        );
      }
      if (pm.type !== "card") return (detachWallet(ctx, pm), ok(pm));
      const customer = ctx.state.customers[pm.customer];
      pm.customer = null;
      ctx.state.cards[pm.id].detached = true;
      ctx.emit("payment_method.detached", pm);
      if (customer?.invoice_settings.default_payment_method === pm.id) {
        customer.invoice_settings.default_payment_method = null;
        ctx.emit("customer.updated", customer);
      }
      return ok(pm);
    },
  },
  {
    // Test helper (not Stripe API): the buyer's side of an Alipay agreement, see wallet-agreements.ts.
    method: "POST",
    pattern: "/v1/test_helpers/wallet_agreements/:id",
    handler(ctx, params, { id }) {
      const pm = ctx.state.walletMethods[id];
      if (!pm) throw noSuch("PaymentMethod", id);
      const state = optEnum(params, "state", ["active", "insufficient_funds", "revoked"] as const);
      if (!state) throw missingParam("state");
      setWalletAgreement(ctx, pm, state);
      return ok(pm);
    },
  },
];
