import { defineFraudRule } from "../define";

/** An inviter whose paid invitees are refunded or disputed far more often than normal. */
export const inviteeRefundRate = defineFraudRule({
  type: "invitee_refund_rate",
  stages: ["payment", "issuance"],
  evaluate(facts, config) {
    const { paid, refundedOrDisputed } = facts.inviteeOrders;
    if (paid < config.refundRate.minInvitees) return null;
    const rateBps = Math.floor((refundedOrDisputed * 10000) / paid);
    return rateBps >= config.refundRate.thresholdBps
      ? { paid, refundedOrDisputed, rateBps, thresholdBps: config.refundRate.thresholdBps }
      : null;
  },
});
