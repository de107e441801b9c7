import type { ApiContext } from "./api-context";
import { invalidParam, invalidRequest, noSuch } from "./api-error";
import type { FormObject } from "./form-body";
import { optString } from "./params";
import type { Charge } from "./stripe-objects";

/**
 * The charge a refund or dispute is about, named by `charge` or by
 * `payment_intent` (whose successful latest charge it is).
 */
export function chargeTarget(ctx: ApiContext, params: FormObject): Charge {
  const chargeId = optString(params, "charge") || undefined;
  const piId = optString(params, "payment_intent") || undefined;
  if (!chargeId && !piId) {
    throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.");
  }
  let charge: Charge | undefined;
  if (chargeId) {
    charge = ctx.state.charges[chargeId];
    if (!charge) throw noSuch("charge", chargeId, "charge");
  }
  if (piId) {
    const pi = ctx.state.paymentIntents[piId];
    if (!pi) throw noSuch("payment_intent", piId, "payment_intent");
    const latest = pi.status === "succeeded" && pi.latest_charge ? ctx.state.charges[pi.latest_charge] : undefined;
    if (!latest)
      throw invalidParam("payment_intent", `This PaymentIntent (${piId}) does not have a successful charge to refund.`);
    if (charge && charge.id !== latest.id)
      throw invalidParam("charge", `The charge ${charge.id} does not belong to PaymentIntent ${piId}.`);
    charge = latest;
  }
  return charge as Charge;
}
