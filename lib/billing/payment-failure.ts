import type { ActionResult } from "../http/action-result";
import { LATE_PAYMENT_CREDITED } from "./checkout";

/**
 * What a form says when a payment did not buy the order: usually the
 * processor's refusal ("nothing was charged"), but a charge that went through
 * after its order was given up was kept as cash (REL-1), and saying "nothing
 * was charged" then would be false.
 */
export function paymentFailure(code: string): ActionResult {
  return code === LATE_PAYMENT_CREDITED
    ? { ok: false, error: "payment_credited" }
    : { ok: false, error: "payment_failed", params: { reason: code } };
}
