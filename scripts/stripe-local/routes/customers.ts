import { ok, type ApiContext, type Route } from "../api-context";
import { invalidParam, noSuch } from "../api-error";
import type { FormObject } from "../form-body";
import { newId } from "../new-id";
import { applyMetadata, optMetadata, optObject, optString } from "../params";
import { attachPaymentMethod, checkPaymentMethod, materializePaymentMethod } from "../payment-method-use";
import type { Customer } from "../stripe-objects";

export function getCustomer(ctx: ApiContext, id: string, param = "id"): Customer {
  const c = ctx.state.customers[id];
  if (!c) throw noSuch("customer", id, param);
  return c;
}

/** `invoice_settings[default_payment_method]`: undefined = unchanged, null = cleared. */
function readDefaultPaymentMethod(params: FormObject): string | null | undefined {
  const settings = optObject(params, "invoice_settings");
  if (!settings) return undefined;
  const v = optString(settings, "default_payment_method");
  return v === undefined ? undefined : v === "" ? null : v;
}

function checkDefault(ctx: ApiContext, customerId: string, pmId: string, attachingNow: boolean): void {
  if (attachingNow) return;
  if (ctx.state.paymentMethods[pmId]?.customer !== customerId) {
    throw invalidParam(
      "invoice_settings[default_payment_method]",
      `The customer does not have a payment method with the ID ${pmId}. The payment method must be attached to the customer.`,
      "resource_missing",
    );
  }
}

function readProfile(params: FormObject) {
  const nullable = (name: string) => {
    const v = optString(params, name);
    return v === undefined ? undefined : v === "" ? null : v;
  };
  return {
    email: nullable("email"),
    name: nullable("name"),
    description: nullable("description"),
    phone: nullable("phone"),
  };
}

export const customerRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/customers",
    handler(ctx, params) {
      const profile = readProfile(params);
      const metadata = optMetadata(params);
      const pmId = optString(params, "payment_method") || undefined;
      const defaultPm = readDefaultPaymentMethod(params);
      const id = newId("cus");
      if (pmId) checkPaymentMethod(ctx, pmId, "payment_method", id);
      if (defaultPm) checkDefault(ctx, id, defaultPm, defaultPm === pmId);

      const customer: Customer = {
        id,
        object: "customer",
        address: null,
        balance: 0,
        created: ctx.now(),
        currency: null,
        customer_account: null,
        default_source: null,
        delinquent: false,
        description: profile.description ?? null,
        email: profile.email ?? null,
        invoice_prefix: id.slice(4, 12).toUpperCase(),
        invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
        livemode: false,
        metadata: applyMetadata({}, metadata),
        name: profile.name ?? null,
        phone: profile.phone ?? null,
        preferred_locales: [],
        shipping: null,
        tax_exempt: "none",
        test_clock: null,
      };
      ctx.state.customers[id] = customer;
      ctx.emit("customer.created", customer);
      if (pmId) {
        const pm = materializePaymentMethod(ctx, pmId);
        attachPaymentMethod(ctx, pm, id);
        // A token names a card, not the new pm_…: point the default at what was attached.
        if (defaultPm === pmId) customer.invoice_settings.default_payment_method = pm.id;
      } else if (defaultPm) {
        customer.invoice_settings.default_payment_method = defaultPm;
      }
      return ok(customer);
    },
  },
  {
    method: "GET",
    pattern: "/v1/customers/:id",
    handler: (ctx, _params, { id }) => ok(getCustomer(ctx, id)),
  },
  {
    method: "POST",
    pattern: "/v1/customers/:id",
    handler(ctx, params, { id }) {
      const customer = getCustomer(ctx, id);
      const profile = readProfile(params);
      const metadata = optMetadata(params);
      const defaultPm = readDefaultPaymentMethod(params);
      if (defaultPm) checkDefault(ctx, id, defaultPm, false);

      for (const [k, v] of Object.entries(profile)) if (v !== undefined) customer[k as keyof typeof profile] = v;
      customer.metadata = applyMetadata(customer.metadata, metadata);
      if (defaultPm !== undefined) customer.invoice_settings.default_payment_method = defaultPm;
      ctx.emit("customer.updated", customer);
      return ok(customer);
    },
  },
];
