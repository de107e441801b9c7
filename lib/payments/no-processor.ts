import type { PaymentPort } from "./port";

/**
 * The port when no payment processor is connected: nothing can be charged, so
 * the engine takes money from the wallet only and says so when that is not
 * enough. This is a real state of a deployment, not a stand-in: every call
 * answers a failure, none pretends to take money.
 */
export const noProcessor: PaymentPort = {
  name: "none",
  canCharge: async () => false,
  chargeOffSession: async () => ({ status: "failed", providerPaymentId: null, code: "no_payment_processor" }),
  startOnSession: async () => ({ status: "failed", providerPaymentId: null, code: "no_payment_processor" }),
  refund: async () => ({ status: "failed", code: "no_payment_processor" }),
};
