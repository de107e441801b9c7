import type { PaymentPort } from "./port";

const none = { status: "failed", providerPaymentId: null, code: "no_payment_processor" } as const;

/**
 * The port when no payment processor is connected (production without Stripe
 * keys): nothing can be charged, so the engine takes money from the wallet
 * only and says so when that is not enough. Every call answers a failure;
 * none pretends to take money.
 */
export const noProcessor: PaymentPort = {
  name: "none",
  canCharge: async () => false,
  chargeOffSession: async () => none,
  startOnSession: async () => none,
  paymentStatus: async () => none,
  cancelPayment: async () => none,
  refund: async () => ({ status: "failed", code: "no_payment_processor" }),
  savedMethod: async () => null,
  rememberPayment: async () => null,
  removeSavedMethod: async () => {},
  methodDetached: async () => 0,
  saveCard: async () => ({ status: "failed", code: "no_payment_processor" }),
  setupStatus: async () => ({ status: "failed", code: "no_payment_processor" }),
};
