import { ok, type ApiContext, type Route } from "../api-context";
import { invalidParam, missingParam, noSuch } from "../api-error";
import { attemptCard } from "../card-attempt";
import { cardErrorReply } from "../card-error-reply";
import type { FormObject } from "../form-body";
import { listPage } from "../list-page";
import { optString, reqString } from "../params";
import { attachPaymentMethod, checkPaymentMethod, materializePaymentMethod } from "../payment-method-use";
import type { PaymentMethod } from "../stripe-objects";
import { getCustomer } from "./customers";

function getPaymentMethod(ctx: ApiContext, id: string): PaymentMethod {
  const pm = ctx.state.paymentMethods[id];
  if (!pm) throw noSuch("PaymentMethod", id);
  return pm;
}

function listForCustomer(ctx: ApiContext, customerId: string, params: FormObject, url: string) {
  const type = optString(params, "type");
  const items = Object.values(ctx.state.paymentMethods)
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
];
