import { DomainError } from "../errors/domain-error";

/**
 * The payment port: the only way the billing engine moves money on a payment
 * method. Stripe (real, or the local Stripe-compatible server) and the tests'
 * double implement it; the engine never knows which. Every call carries an
 * idempotency key derived from domain ids, so a retried call is the same call.
 */
/**
 * How a buyer pays the part the wallet does not cover (WALLET-1, PAY-3): the
 * saved card, or a wallet paid there and then (Alipay by a redirect, WeChat Pay
 * by a QR code). Alipay can also be saved under an automatic-payment agreement
 * where the operator enables it (RECURRING_WALLETS); WeChat Pay never is.
 */
export const PAY_METHODS = ["card", "alipay", "wechat_pay"] as const;
export type PayMethod = (typeof PAY_METHODS)[number];
export type WalletMethod = Exclude<PayMethod, "card">;
export const isWalletMethod = (m: PayMethod | undefined): m is WalletMethod => m === "alipay" || m === "wechat_pay";
/** How the buyer chose to pay an order: the method, and (PAY-3) whether to save it for the plan's renewals (Alipay, where the region allows). */
export type PayChoice = { method?: PayMethod; saveForRenewals?: boolean };

/** The wallets that can be saved for off-session charges (Alipay's automatic payments). */
export const RECURRING_WALLETS = ["alipay"] as const;
export type RecurringWallet = (typeof RECURRING_WALLETS)[number];

export type ChargeRequest = {
  idempotencyKey: string;
  userId: string;
  invoiceId: string;
  amountMinor: bigint;
  currency: string;
  description: string;
};

export type ChargeResult =
  | { status: "succeeded"; providerPaymentId: string }
  /**
   * On-session only: the customer must pass 3-D Secure (PAY-1) or approve in
   * Alipay at `actionUrl`, or scan `qrData` with WeChat (PAY-3; `actionUrl` is
   * then the processor's own page showing the same code).
   */
  | { status: "requires_action"; providerPaymentId: string; actionUrl: string; qrData?: string }
  | { status: "failed"; providerPaymentId: string | null; code: string }
  /** Not settled yet either way; a webhook will say how it ends. */
  | { status: "pending"; providerPaymentId: string };

export type RefundResult = { status: "succeeded"; providerRefundId: string } | { status: "failed"; code: string };

/** Saving a card: done, a 3-D Secure step first, or refused (a declined card). */
export type SetupResult =
  | { status: "succeeded"; card: SavedCard }
  | { status: "requires_action"; actionUrl: string }
  | { status: "failed"; code: string };

export type SavedCard = { brand: string; last4: string; expMonth: number; expYear: number };

/** What renewals charge: a card, or an Alipay account under an automatic-payment agreement (PAY-3). */
export type SavedMethod = ({ type: "card" } & SavedCard) | { type: RecurringWallet };

export type PaymentPort = {
  readonly name: string;
  /** Whether this customer can be charged at all (a processor and a saved method). */
  canCharge(userId: string): Promise<boolean>;
  /** Charge the saved payment method with the customer away (renewals, dunning). */
  chargeOffSession(req: ChargeRequest): Promise<ChargeResult>;
  /**
   * Start a payment with the customer present: the saved method (a card may
   * need 3-D Secure) or a wallet (PAY-3). `saveForRenewals` asks the buyer to
   * sign Alipay's automatic-payment agreement with it (see rememberPayment);
   * Alipay with an agreement already saved is charged under it, no redirect.
   */
  startOnSession(req: ChargeRequest & PayChoice & { returnUrl: string }): Promise<ChargeResult>;
  /** Gives up a payment still waiting for the customer (a WeChat Pay code no one will scan). */
  cancelPayment(providerPaymentId: string): Promise<ChargeResult>;
  /** Where a payment stands now at the processor (after a 3-D Secure step, say). */
  paymentStatus(providerPaymentId: string): Promise<ChargeResult>;
  refund(req: {
    idempotencyKey: string;
    providerPaymentId: string;
    amountMinor: bigint;
    metadata?: Record<string, string>;
  }): Promise<RefundResult>;
  /** What renewals will charge, if anything is saved. */
  savedMethod(userId: string): Promise<SavedMethod | null>;
  /**
   * After a payment asked to save its wallet (saveForRenewals) succeeded:
   * makes the method it left attached the one renewals charge. Idempotent;
   * null when the payment is not this user's or saved nothing.
   */
  rememberPayment(userId: string, providerPaymentId: string): Promise<SavedMethod | null>;
  /** The subscriber removes what renewals charge (ends an Alipay agreement at the processor). */
  removeSavedMethod(userId: string): Promise<void>;
  /** The processor says a method was detached (an agreement cancelled in the wallet app): it is charged no more. */
  methodDetached(paymentMethodId: string): Promise<number>;
  /** Saves a card (a processor's payment method id or test token) for off-session use; it may need 3-D Secure. */
  saveCard(req: {
    userId: string;
    email: string;
    paymentMethod: string;
    returnUrl: string;
    idempotencyKey: string;
  }): Promise<SetupResult>;
  /** Where a card setup stands now, saving the card if it succeeded (after a 3-D Secure step). */
  setupStatus(userId: string, setupId: string): Promise<SetupResult>;
};

type UnavailableCode = "rate_limited" | "processor_error" | "processor_unreachable";

/**
 * The processor could not answer (rate limited, down, unreachable). Nothing is
 * known to have happened: the caller retries later with the same key. A
 * DomainError although it is an outage, because the user has something to do
 * (try again in a moment): its code says why (for logs and the retry logic),
 * its message to the user is errors.processor_unavailable, 503.
 */
export class PaymentUnavailableError extends DomainError<UnavailableCode> {
  constructor(code: UnavailableCode, message: string) {
    super(code, message, 503, { key: "processor_unavailable" });
    this.name = "PaymentUnavailableError";
  }
}
