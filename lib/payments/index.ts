import { noProcessor } from "./no-processor";
import type { PaymentPort } from "./port";

export type { PaymentPort, ChargeRequest, ChargeResult, RefundResult } from "./port";

/**
 * The app's payment port. Until a processor is connected (the payments issue
 * adds Stripe and its local stand-in server), wallet money is the only money.
 */
export function paymentPort(): PaymentPort {
  return noProcessor;
}
