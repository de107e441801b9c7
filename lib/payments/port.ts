/**
 * The payment port: the only way the billing engine moves money on a payment
 * method. Stripe (real, or the local Stripe-compatible server) and the tests'
 * double implement it; the engine never knows which. Every call carries an
 * idempotency key derived from domain ids, so a retried call is the same call.
 */
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
  /** On-session only: the customer must pass 3-D Secure at `actionUrl` (PAY-1). */
  | { status: "requires_action"; providerPaymentId: string; actionUrl: string }
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

export type PaymentPort = {
  readonly name: string;
  /** Whether this customer can be charged at all (a processor and a saved method). */
  canCharge(userId: string): Promise<boolean>;
  /** Charge the saved payment method with the customer away (renewals, dunning). */
  chargeOffSession(req: ChargeRequest): Promise<ChargeResult>;
  /** Start a payment with the customer present; it may need 3-D Secure. */
  startOnSession(req: ChargeRequest & { returnUrl: string }): Promise<ChargeResult>;
  /** Where a payment stands now at the processor (after a 3-D Secure step, say). */
  paymentStatus(providerPaymentId: string): Promise<ChargeResult>;
  refund(req: { idempotencyKey: string; providerPaymentId: string; amountMinor: bigint; metadata?: Record<string, string> }): Promise<RefundResult>;
  /** The card renewals will charge, if one is saved. */
  savedCard(userId: string): Promise<SavedCard | null>;
  /** Saves a card (a processor's payment method id or test token) for off-session use; it may need 3-D Secure. */
  saveCard(req: { userId: string; email: string; paymentMethod: string; returnUrl: string; idempotencyKey: string }): Promise<SetupResult>;
  /** Where a card setup stands now, saving the card if it succeeded (after a 3-D Secure step). */
  setupStatus(userId: string, setupId: string): Promise<SetupResult>;
};

/**
 * The processor could not answer (rate limited, down, unreachable). Nothing is
 * known to have happened: the caller retries later with the same key.
 */
export class PaymentUnavailableError extends Error {
  constructor(
    readonly code: "rate_limited" | "processor_error" | "processor_unreachable",
    message: string,
  ) {
    super(message);
    this.name = "PaymentUnavailableError";
  }
}
