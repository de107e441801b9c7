import { DomainError, statusOf } from "../errors/domain-error";

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
  | "method_unavailable"
  | "recurring_unavailable";

const STATUS: Partial<Record<BillingErrorCode, number>> = {
  account_banned: 403,
  pack_unknown: 404,
  insufficient_funds: 402,
  payment_failed: 402,
  card_unavailable: 402,
  top_up_too_small: 422,
  top_up_too_large: 422,
  refund_reason_required: 422,
  refund_amount_invalid: 422,
  processor_unavailable: 503,
};

export class BillingError extends DomainError<BillingErrorCode> {
  // A billing refusal always carries its params (empty when the message has none), as its answers always did.
  declare readonly params: Readonly<Record<string, string>>;

  constructor(code: BillingErrorCode, params: Record<string, string> = {}) {
    super(code, code, statusOf(STATUS, code), { params });
  }
}
