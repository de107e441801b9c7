import type { CardBehaviour } from "./test-cards";
import type {
  Charge,
  Customer,
  Dispute,
  PaymentIntent,
  PaymentMethod,
  Refund,
  SetupIntent,
  StripeEvent,
  WalletPaymentMethod,
} from "./stripe-objects";

/** What a card does, and whether it was detached (Stripe refuses to reuse a detached card). Not part of Stripe's object. */
export type CardRecord = { behaviour: CardBehaviour; detached: boolean };

/** A 3-D Secure challenge for an intent: where the browser goes back to, and how it ended. */
export type Authentication = { status: "pending" | "succeeded" | "failed"; returnUrl: string | null };

/** A wallet payment waiting at the stand-in wallet page (PAY-3): where Alipay returns the buyer, and how it ended. */
export type WalletAttempt = { status: "pending" | "approved" | "declined" | "abandoned"; returnUrl: string | null };

/**
 * An Alipay automatic-payment agreement (a wallet method saved for
 * off-session use): active, or what the buyer's side says now (a balance too
 * low for the next charge, or the agreement cancelled in the wallet app).
 */
export type WalletAgreement = "active" | "insufficient_funds" | "revoked";

/** A saved answer for an Idempotency-Key; `body` is the exact JSON sent the first time. */
export type IdempotencyRecord = {
  method: string;
  path: string;
  paramsHash: string;
  status: number;
  body: string;
  createdAt: number;
};

/** One webhook send still to be made; `attempt` is the number of the next try, `dueAt` epoch ms. */
export type PendingDelivery = { id: string; eventId: string; attempt: number; dueAt: number };

export type DeliveryLogEntry = {
  deliveryId: string;
  eventId: string;
  type: string;
  attempt: number;
  /** The receiver's HTTP status, or null when the request failed. */
  status: number | null;
  error: string | null;
  /** ISO time the attempt finished. */
  at: string;
};

export type WebhookState = {
  paused: boolean;
  duplicate: boolean;
  /** Events recorded while paused, oldest first, waiting for a flush. */
  held: string[];
  pending: PendingDelivery[];
  log: DeliveryLogEntry[];
};

/** Everything the server knows; it is the whole content of the data file. */
export type State = {
  customers: Record<string, Customer>;
  paymentMethods: Record<string, PaymentMethod>;
  cards: Record<string, CardRecord>;
  walletMethods: Record<string, WalletPaymentMethod>;
  walletAttempts: Record<string, WalletAttempt>;
  walletAgreements: Record<string, WalletAgreement>;
  setupIntents: Record<string, SetupIntent>;
  paymentIntents: Record<string, PaymentIntent>;
  charges: Record<string, Charge>;
  refunds: Record<string, Refund>;
  disputes: Record<string, Dispute>;
  authentications: Record<string, Authentication>;
  /** The latest return_url given for each intent (Stripe keeps it internally, not on the object). */
  returnUrls: Record<string, string>;
  /** Oldest first. */
  events: StripeEvent[];
  idempotency: Record<string, IdempotencyRecord>;
  webhooks: WebhookState;
};

export function emptyState(): State {
  return {
    customers: {},
    paymentMethods: {},
    cards: {},
    walletMethods: {},
    walletAttempts: {},
    walletAgreements: {},
    setupIntents: {},
    paymentIntents: {},
    charges: {},
    refunds: {},
    disputes: {},
    authentications: {},
    returnUrls: {},
    events: [],
    idempotency: {},
    webhooks: { paused: false, duplicate: false, held: [], pending: [], log: [] },
  };
}
