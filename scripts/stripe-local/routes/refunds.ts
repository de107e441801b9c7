import { ok, type Route } from "../api-context";
import { invalidParam, invalidRequest, noSuch } from "../api-error";
import { chargeTarget } from "../charge-target";
import { chargeWithRefunds } from "../charge-view";
import { formatAmount } from "../format-amount";
import { newId } from "../new-id";
import { applyMetadata, optAmount, optEnum, optMetadata } from "../params";
import type { Refund } from "../stripe-objects";

export const refundRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/v1/refunds",
    handler(ctx, params) {
      const requested = optAmount(params, "amount");
      const reason = optEnum(params, "reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null;
      const metadata = optMetadata(params);
      const charge = chargeTarget(ctx, params);
      const remaining = charge.amount - charge.amount_refunded;
      if (remaining <= 0) {
        throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
      }
      const openDispute = Object.values(ctx.state.disputes).some(
        (d) => d.charge === charge.id && d.status === "needs_response",
      );
      if (openDispute)
        throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, {
          code: "charge_disputed",
        });
      const amount = requested ?? remaining;
      if (amount > remaining) {
        throw invalidParam(
          "amount",
          `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
          "amount_too_large",
        );
      }

      const refund: Refund = {
        id: newId("re"),
        object: "refund",
        amount,
        balance_transaction: null,
        charge: charge.id,
        created: ctx.now(),
        currency: charge.currency,
        customer: charge.customer,
        customer_account: null,
        destination_details: null,
        metadata: applyMetadata({}, metadata),
        payment_intent: charge.payment_intent,
        payment_method: charge.payment_method,
        reason,
        receipt_number: null,
        source_transfer_reversal: null,
        status: "succeeded",
        transfer_reversal: null,
      };
      ctx.state.refunds[refund.id] = refund;
      charge.amount_refunded += amount;
      charge.refunded = charge.amount_refunded === charge.amount;
      ctx.emit("refund.created", refund);
      ctx.emit("charge.refunded", chargeWithRefunds(ctx.state, charge));
      return ok(refund);
    },
  },
  {
    method: "GET",
    pattern: "/v1/refunds/:id",
    handler(ctx, _params, { id }) {
      const refund = ctx.state.refunds[id];
      if (!refund) throw noSuch("refund", id);
      return ok(refund);
    },
  },
];
