import { ok, type ApiContext, type Route } from "../api-context";
import { invalidRequest, missingParam, noSuch } from "../api-error";
import { newId } from "../new-id";
import {
  applyMetadata,
  optBool,
  optEnum,
  optMetadata,
  optObject,
  optString,
  optUrl,
  readPaymentMethodTypes,
} from "../params";
import { checkPaymentMethod, materializePaymentMethod } from "../payment-method-use";
import { confirmSetup } from "../setup-intent-outcomes";
import type { SetupIntent } from "../stripe-objects";
import { secretSuffix } from "../test-cards";
import { getCustomer } from "./customers";

function getSetupIntent(ctx: ApiContext, id: string): SetupIntent {
  const si = ctx.state.setupIntents[id];
  if (!si) throw noSuch("setup_intent", id);
  return si;
}

const CONFIRMABLE: SetupIntent["status"][] = ["requires_payment_method", "requires_confirmation", "requires_action"];

function checkConfirmable(si: SetupIntent): void {
  if (!CONFIRMABLE.includes(si.status)) {
    throw invalidRequest(`You cannot confirm this SetupIntent because it has a status of ${si.status}.`, {
      code: "setup_intent_unexpected_state",
      setup_intent: structuredClone(si),
    });
  }
}

export const setupIntentRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/setup_intents",
    handler(ctx, params) {
      const customer = optString(params, "customer") || null;
      const pmId = optString(params, "payment_method") || null;
      const confirm = optBool(params, "confirm") ?? false;
      const usage = optEnum(params, "usage", ["on_session", "off_session"] as const) ?? "off_session";
      const returnUrl = optUrl(params, "return_url");
      const metadata = optMetadata(params);
      const description = optString(params, "description") || null;
      const automatic = optBool(optObject(params, "automatic_payment_methods") ?? {}, "enabled") ?? false;
      const types = readPaymentMethodTypes(params);
      if (customer) getCustomer(ctx, customer, "customer");
      if (pmId) checkPaymentMethod(ctx, pmId, "payment_method", customer);
      if (confirm && !pmId) throw missingParam("payment_method");

      const id = newId("seti");
      const pm = pmId ? materializePaymentMethod(ctx, pmId) : null;
      const si: SetupIntent = {
        id,
        object: "setup_intent",
        allowed_payment_method_types: types,
        application: null,
        automatic_payment_methods: automatic ? { allow_redirects: "always", enabled: true } : null,
        cancellation_reason: null,
        client_secret: `${id}_secret_${secretSuffix()}`,
        created: ctx.now(),
        customer,
        customer_account: null,
        description,
        excluded_payment_method_types: null,
        flow_directions: null,
        last_setup_error: null,
        latest_attempt: null,
        livemode: false,
        mandate: null,
        metadata: applyMetadata({}, metadata),
        next_action: null,
        on_behalf_of: null,
        payment_method: pm?.id ?? null,
        payment_method_configuration_details: null,
        payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: "automatic" } },
        payment_method_types: types ?? ["card"],
        single_use_mandate: null,
        status: pm ? "requires_confirmation" : "requires_payment_method",
        usage,
      };
      ctx.state.setupIntents[id] = si;
      if (returnUrl) ctx.state.returnUrls[id] = returnUrl;
      ctx.emit("setup_intent.created", si);
      return confirm && pm ? confirmSetup(ctx, si, pm) : ok(si);
    },
  },
  {
    method: "GET",
    pattern: "/v1/setup_intents/:id",
    handler: (ctx, _params, { id }) => ok(getSetupIntent(ctx, id)),
  },
  {
    method: "POST",
    pattern: "/v1/setup_intents/:id/confirm",
    handler(ctx, params, { id }) {
      const si = getSetupIntent(ctx, id);
      const pmParam = optString(params, "payment_method") || null;
      const returnUrl = optUrl(params, "return_url");
      checkConfirmable(si);
      if (pmParam) checkPaymentMethod(ctx, pmParam, "payment_method", si.customer);
      const pmId = pmParam ?? si.payment_method ?? null;
      if (!pmId) throw missingParam("payment_method");

      if (returnUrl) ctx.state.returnUrls[id] = returnUrl;
      return confirmSetup(ctx, si, materializePaymentMethod(ctx, pmId));
    },
  },
  {
    method: "POST",
    pattern: "/v1/setup_intents/:id/cancel",
    handler(ctx, _params, { id }) {
      const si = getSetupIntent(ctx, id);
      if (si.status === "succeeded" || si.status === "canceled") {
        throw invalidRequest(`You cannot cancel this SetupIntent because it has a status of ${si.status}.`, {
          code: "setup_intent_unexpected_state",
        });
      }
      Object.assign(si, { status: "canceled", next_action: null } satisfies Partial<SetupIntent>);
      ctx.emit("setup_intent.canceled", si);
      return ok(si);
    },
  },
];
