import { bulkRegistration } from "./bulk-registration";
import { disposableEmail } from "./disposable-email";
import { inviteeRefundRate } from "./invitee-refund-rate";
import { selfReferralCard } from "./self-referral-card";
import { selfReferralDevice } from "./self-referral-device";
import { sharedDevice } from "./shared-device";

/** Every fraud rule, in the order the review queue lists them. */
export const FRAUD_RULES = [
  bulkRegistration,
  selfReferralCard,
  selfReferralDevice,
  disposableEmail,
  inviteeRefundRate,
  sharedDevice,
];

export const FRAUD_RULE_TYPES = FRAUD_RULES.map((r) => r.type);
