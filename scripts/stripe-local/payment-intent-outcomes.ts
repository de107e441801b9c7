import type { ApiContext, Reply } from "./api-context";
import { attemptCard } from "./card-attempt";
import { cardErrorReply } from "./card-error-reply";
import { newId } from "./new-id";
import { attachPaymentMethod } from "./payment-method-use";
import type { Charge, IntentError, PaymentIntent, PaymentMethod } from "./stripe-objects";

/**
 * The ways a PaymentIntent can end an attempt, shared by the confirm endpoint
 * and the 3-D Secure page so both leave the same objects and events.
 */

/** What a card charge says about its card. */
function cardDetails(pm: PaymentMethod, authenticated: boolean): Charge["payment_method_details"] {
  return {
    card: {
      brand: pm.card.brand,
      country: pm.card.country,
      exp_month: pm.card.exp_month,
      exp_year: pm.card.exp_year,
      fingerprint: pm.card.fingerprint,
      funding: pm.card.funding,
      last4: pm.card.last4,
      network: pm.card.brand,
      three_d_secure: authenticated
        ? { authentication_flow: "challenge", result: "authenticated", version: "2.2.0" }
        : null,
    },
    type: "card",
  };
}

export function createCharge(
  ctx: ApiContext,
  pi: PaymentIntent,
  pm: Pick<PaymentMethod, "id" | "billing_details">,
  details: Charge["payment_method_details"],
): Charge {
  const charge: Charge = {
    id: newId("ch"),
    object: "charge",
    amount: pi.amount,
    amount_captured: pi.amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: structuredClone(pm.billing_details),
    calculated_statement_descriptor: "STRIPE LOCAL",
    captured: true,
    created: ctx.now(),
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: {
      network_status: "approved_by_network",
      reason: null,
      risk_level: "normal",
      seller_message: "Payment complete.",
      type: "authorized",
    },
    paid: true,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: details,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "succeeded",
    transfer_data: null,
    transfer_group: null,
  };
  ctx.state.charges[charge.id] = charge;
  return charge;
}

export function succeedPayment(ctx: ApiContext, pi: PaymentIntent, pm: PaymentMethod, authenticated: boolean): void {
  if (pi.setup_future_usage && pi.customer) attachPaymentMethod(ctx, pm, pi.customer);
  const charge = createCharge(ctx, pi, pm, cardDetails(pm, authenticated));
  Object.assign(pi, {
    status: "succeeded",
    amount_received: pi.amount,
    latest_charge: charge.id,
    payment_method: pm.id,
    next_action: null,
    last_payment_error: null,
  } satisfies Partial<PaymentIntent>);
  ctx.emit("charge.succeeded", charge);
  ctx.emit("payment_intent.succeeded", pi);
}

/** Back to requires_payment_method; like Stripe, the failed card is cleared and kept only in last_payment_error. */
export function failPayment(ctx: ApiContext, pi: PaymentIntent, error: IntentError): void {
  Object.assign(pi, {
    status: "requires_payment_method",
    last_payment_error: error,
    payment_method: null,
    next_action: null,
  } satisfies Partial<PaymentIntent>);
  ctx.emit("payment_intent.payment_failed", pi);
}

function requireAction(ctx: ApiContext, pi: PaymentIntent, pm: PaymentMethod): void {
  const returnUrl = ctx.state.returnUrls[pi.id] ?? null;
  Object.assign(pi, {
    status: "requires_action",
    payment_method: pm.id,
    last_payment_error: null,
    next_action: {
      type: "redirect_to_url",
      redirect_to_url: { url: `${ctx.publicUrl}/3ds/${pi.id}`, return_url: returnUrl },
    },
  } satisfies Partial<PaymentIntent>);
  ctx.state.authentications[pi.id] = { status: "pending", returnUrl };
  ctx.emit("payment_intent.requires_action", pi);
}

/** Charges `pm` for `pi` and answers as Stripe's confirm does: 200 with the intent, or 402 with the decline. */
export function confirmPayment(ctx: ApiContext, pi: PaymentIntent, pm: PaymentMethod, offSession: boolean): Reply {
  const result = attemptCard(ctx.state.cards[pm.id].behaviour, pm, { charging: true, offSession });
  if (result.kind === "succeed") succeedPayment(ctx, pi, pm, false);
  else if (result.kind === "requires_action") requireAction(ctx, pi, pm);
  else {
    failPayment(ctx, pi, result.error);
    return cardErrorReply(result.error, { payment_intent: pi });
  }
  return { status: 200, body: pi };
}
