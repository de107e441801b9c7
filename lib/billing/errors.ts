/**
 * A refused billing action. `code` is an i18n key under `errors.*`; `params`
 * fill its placeholders (a cutoff or release time is passed as an ISO string
 * and shown in the viewer's zone).
 */
export type BillingErrorCode =
  | "sold_out"
  | "already_subscribed"
  | "no_subscription"
  | "renewal_pending"
  | "period_ended"
  | "same_plan"
  | "not_an_upgrade"
  | "upgrade_is_immediate"
  | "inside_cutoff"
  | "not_canceled"
  | "already_canceled"
  | "insufficient_funds"
  | "payment_failed"
  | "payment_pending"
  | "card_unavailable"
  | "account_banned"
  | "top_up_too_small"
  | "top_up_too_large"
  | "pack_unknown"
  | "refund_reason_required"
  | "refund_amount_invalid"
  | "refund_exceeds_payment"
  | "refund_exceeds_cash"
  | "refund_exceeds_pack"
  | "payment_not_refundable"
  | "refund_china_site"
  | "refund_failed"
  | "nothing_to_pay"
  | "processor_unavailable"
  | "method_unavailable";

export class BillingError extends Error {
  constructor(
    readonly code: BillingErrorCode,
    readonly params: Record<string, string> = {},
  ) {
    super(code);
  }
}
