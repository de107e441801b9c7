import { syncProcessorRefunds } from "../../../billing";
import { eachEvent, type EventHandler } from "./types";

/** Refunds converge on the charge's refunded total, whether CodePlan or the processor's dashboard made them (REFUND-1). */
export const chargeRefunded: EventHandler<"charge.refunded"> = eachEvent(async (deps, event) => {
  const charge = event.data.object;
  const pi = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
  if (!pi) return "no_payment_intent";
  return syncProcessorRefunds(deps, {
    providerPaymentId: pi,
    amountRefundedMinor: BigInt(charge.amount_refunded),
    refunds: (charge.refunds?.data ?? []).map((r) => ({
      providerRefundId: r.id,
      refundId: r.metadata?.refund_id ?? null,
    })),
  });
});
