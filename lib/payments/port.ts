/**
 * The payment port: the only way the billing engine moves money on a payment
 * method. Stripe (the payments issue) and any test double implement it; the
 * engine never knows which. Every call carries an idempotency key derived
 * from domain ids, so a retried call is the same call.
 */
export type ChargeRequest = {
  idempotencyKey: string;
  userId: string;
  amountMinor: bigint;
  currency: string;
  description: string;
};

export type ChargeResult =
  | { status: "succeeded"; providerPaymentId: string }
  /** On-session only: the customer must pass 3-D Secure at `actionUrl` (PAY-1). */
  | { status: "requires_action"; providerPaymentId: string; actionUrl: string }
  | { status: "failed"; providerPaymentId: string | null; code: string };

export type RefundResult = { status: "succeeded"; providerRefundId: string } | { status: "failed"; code: string };

export type PaymentPort = {
  readonly name: string;
  /** Whether this customer can be charged at all (a processor and a saved method). */
  canCharge(userId: string): Promise<boolean>;
  /** Charge the saved payment method with the customer away (renewals). */
  chargeOffSession(req: ChargeRequest): Promise<ChargeResult>;
  /** Start a payment with the customer present; it may need 3-D Secure. */
  startOnSession(req: ChargeRequest & { returnUrl: string }): Promise<ChargeResult>;
  refund(req: { idempotencyKey: string; providerPaymentId: string; amountMinor: bigint }): Promise<RefundResult>;
};
