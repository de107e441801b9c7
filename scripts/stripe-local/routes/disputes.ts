import { ok, type Route } from "../api-context";
import { invalidParam, invalidRequest, noSuch } from "../api-error";
import { chargeTarget } from "../charge-target";
import { newId } from "../new-id";
import { optAmount, optEnum } from "../params";
import type { Dispute } from "../stripe-objects";

const REASONS = [
  "bank_cannot_process",
  "check_returned",
  "credit_not_processed",
  "customer_initiated",
  "debit_not_authorized",
  "duplicate",
  "fraudulent",
  "general",
  "incorrect_account_details",
  "insufficient_funds",
  "product_not_received",
  "product_unacceptable",
  "subscription_canceled",
  "unrecognized",
] as const;

/**
 * Stripe has no API to open a dispute (test mode uses special card numbers);
 * these test helpers let a test open and settle one on any charge.
 */
export const disputeRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/test_helpers/disputes",
    handler(ctx, params) {
      const requested = optAmount(params, "amount");
      const reason = optEnum(params, "reason", REASONS) ?? "fraudulent";
      const charge = chargeTarget(ctx, params);
      if (charge.disputed)
        throw invalidRequest(`Charge ${charge.id} has already been disputed.`, { code: "charge_disputed" });
      const amount = requested ?? charge.amount;
      if (amount > charge.amount)
        throw invalidParam(
          "amount",
          "The dispute amount cannot be greater than the charge amount.",
          "amount_too_large",
        );

      const dispute: Dispute = {
        id: newId("du"),
        object: "dispute",
        amount,
        balance_transactions: [],
        charge: charge.id,
        created: ctx.now(),
        currency: charge.currency,
        enhanced_eligibility_types: [],
        // Stripe gives about three weeks to respond.
        evidence_details: {
          due_by: ctx.now() + 21 * 24 * 3600,
          has_evidence: false,
          past_due: false,
          submission_count: 0,
        },
        intended_submission_method: null,
        is_charge_refundable: false,
        livemode: false,
        metadata: {},
        payment_intent: charge.payment_intent,
        reason,
        status: "needs_response",
      };
      ctx.state.disputes[dispute.id] = dispute;
      charge.disputed = true;
      ctx.emit("charge.dispute.created", dispute);
      return ok(dispute);
    },
  },
  {
    method: "POST",
    pattern: "/v1/test_helpers/disputes/:id/close",
    handler(ctx, params, { id }) {
      const dispute = ctx.state.disputes[id];
      if (!dispute) throw noSuch("dispute", id);
      const outcome = optEnum(params, "outcome", ["won", "lost"] as const);
      if (!outcome) throw invalidParam("outcome", "Missing required param: outcome.", "parameter_missing");
      if (dispute.status !== "needs_response")
        throw invalidRequest(`This dispute is already closed (${dispute.status}).`);
      dispute.status = outcome;
      ctx.emit("charge.dispute.closed", dispute);
      return ok(dispute);
    },
  },
  {
    method: "GET",
    pattern: "/v1/disputes/:id",
    handler(ctx, _params, { id }) {
      const dispute = ctx.state.disputes[id];
      if (!dispute) throw noSuch("dispute", id);
      return ok(dispute);
    },
  },
];
