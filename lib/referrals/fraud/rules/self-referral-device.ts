import { defineFraudRule } from "../define";

/** The friend's device is one the inviter has used: likely one person with two accounts. */
export const selfReferralDevice = defineFraudRule({
  type: "self_referral_device",
  stages: ["signup", "payment", "issuance"],
  evaluate(facts) {
    return facts.inviter.devices.includes(facts.referral.device) ? { device: facts.referral.device } : null;
  },
});
