import type { ApiContext } from "./api-context";
import { invalidParam, noSuch } from "./api-error";
import { newId } from "./new-id";
import type { PaymentMethod } from "./stripe-objects";
import { cardFingerprint, isTestCardToken, TEST_CARDS } from "./test-cards";

/**
 * Checks that `id` (a test token such as pm_card_visa, or a concrete pm_…)
 * can be used, for `customer` if given, without changing anything. Call it
 * before any mutation, then `materializePaymentMethod`.
 */
export function checkPaymentMethod(ctx: ApiContext, id: string, param: string, customer?: string | null): void {
  if (isTestCardToken(id)) return;
  const pm = ctx.state.paymentMethods[id];
  if (!pm) throw noSuch("PaymentMethod", id, param);
  if (ctx.state.cards[id]?.detached) {
    throw invalidParam(
      param,
      "This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.",
    );
  }
  if (customer && pm.customer && pm.customer !== customer) {
    throw invalidParam(param, `The provided PaymentMethod belongs to a different Customer (${pm.customer}).`);
  }
}

/** The concrete PaymentMethod for `id`; a test token becomes a new pm_… each time, as in Stripe. */
export function materializePaymentMethod(ctx: ApiContext, id: string): PaymentMethod {
  if (!isTestCardToken(id)) return ctx.state.paymentMethods[id];
  const card = TEST_CARDS[id];
  const expYear = new Date().getUTCFullYear() + 5;
  const pm: PaymentMethod = {
    id: newId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: null,
      name: null,
      phone: null,
    },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: card.country,
      display_brand: card.brand,
      exp_month: 12,
      exp_year: expYear,
      fingerprint: cardFingerprint(card),
      funding: "credit",
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: ctx.now(),
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: "card",
  };
  ctx.state.paymentMethods[pm.id] = pm;
  ctx.state.cards[pm.id] = { behaviour: card.behaviour, detached: false };
  return pm;
}

/** Attaches `pm` to the customer unless it already is (event `payment_method.attached`). */
export function attachPaymentMethod(ctx: ApiContext, pm: PaymentMethod, customer: string): void {
  if (pm.customer === customer) return;
  pm.customer = customer;
  ctx.emit("payment_method.attached", pm);
}
