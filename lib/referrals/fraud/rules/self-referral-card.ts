import { defineFraudRule } from "../define";

/** The friend pays with a card the inviter also uses: one person on both sides. */
export const selfReferralCard = defineFraudRule({
  type: "self_referral_payment_method",
  stages: ["payment", "issuance"],
  evaluate(facts) {
    const shared = facts.friend.cardFingerprints.filter((f) => facts.inviter.cardFingerprints.includes(f));
    return shared.length ? { cardFingerprints: shared } : null;
  },
});
