import type { IntentError, PaymentMethod } from "./stripe-objects";
import type { CardBehaviour } from "./test-cards";

export type AttemptResult = { kind: "succeed" } | { kind: "requires_action" } | { kind: "decline"; error: IntentError };

function decline(code: string, declineCode: string, message: string, pm: PaymentMethod): AttemptResult {
  return {
    kind: "decline",
    error: {
      type: "card_error",
      code,
      decline_code: declineCode,
      doc_url: `https://docs.stripe.com/error-codes/${code.replace(/_/g, "-")}`,
      message,
      payment_method: structuredClone(pm),
    },
  };
}

/**
 * How the card network answers a test card. `charging` is false for a
 * SetupIntent, which only verifies the card: an insufficient-funds card
 * verifies fine and is declined only when charged, as in Stripe's test mode.
 */
export function attemptCard(
  behaviour: CardBehaviour,
  pm: PaymentMethod,
  opts: { charging: boolean; offSession: boolean },
): AttemptResult {
  switch (behaviour) {
    case "succeed":
      return { kind: "succeed" };
    case "insufficient_funds":
      return opts.charging
        ? decline("card_declined", "insufficient_funds", "Your card has insufficient funds.", pm)
        : { kind: "succeed" };
    case "decline":
      return decline("card_declined", "generic_decline", "Your card was declined.", pm);
    case "authentication_required":
      // Off-session nobody is there to authenticate: Stripe declines instead of asking.
      return opts.offSession
        ? decline(
            "authentication_required",
            "authentication_required",
            "Your card was declined. This transaction requires authentication.",
            pm,
          )
        : { kind: "requires_action" };
  }
}

/** The error Stripe records when the customer fails (or abandons) the 3-D Secure challenge. */
export function authenticationFailure(pm: PaymentMethod | undefined): IntentError {
  return {
    type: "invalid_request_error",
    code: "payment_intent_authentication_failure",
    doc_url: "https://docs.stripe.com/error-codes/payment-intent-authentication-failure",
    message:
      "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
    ...(pm ? { payment_method: structuredClone(pm) } : {}),
  };
}

export function setupAuthenticationFailure(pm: PaymentMethod | undefined): IntentError {
  return {
    type: "invalid_request_error",
    code: "setup_intent_authentication_failure",
    doc_url: "https://docs.stripe.com/error-codes/setup-intent-authentication-failure",
    message:
      "The latest attempt to set up the payment method has failed because authentication failed. Provide a new payment method to attempt to set it up again.",
    ...(pm ? { payment_method: structuredClone(pm) } : {}),
  };
}
