import type Stripe from "stripe";
import { recordDispute, type BillingDeps } from "../../../billing";

/** A Stripe dispute as CodePlan records it: open, or closed won or lost (a closed warning kept the money: won). */
export async function applyDispute(deps: BillingDeps, dispute: Stripe.Dispute, closed: boolean): Promise<string> {
  const pi = typeof dispute.payment_intent === "string" ? dispute.payment_intent : dispute.payment_intent?.id;
  if (!pi) return "no_payment_intent";
  return recordDispute(deps, {
    providerDisputeId: dispute.id,
    providerPaymentId: pi,
    amountMinor: BigInt(dispute.amount),
    currency: dispute.currency.toUpperCase(),
    reason: dispute.reason,
    status: !closed ? "open" : dispute.status === "lost" ? "lost" : "won",
  });
}
