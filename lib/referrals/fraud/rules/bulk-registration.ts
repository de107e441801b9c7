import { defineFraudRule } from "../define";

/** Many friends of one inviter signing up from one network or device within a short time. */
export const bulkRegistration = defineFraudRule({
  type: "bulk_registration",
  stages: ["signup", "payment", "issuance"],
  evaluate(facts, config) {
    const { network, device } = facts.referral;
    const same = facts.recentSiblings.filter(
      (s) => (network !== "unknown" && s.network === network) || s.device === device,
    );
    if (same.length + 1 < config.bulkRegistration.minSignups) return null;
    return {
      network,
      device,
      windowHours: config.bulkRegistration.windowHours,
      signups: same.map((s) => ({
        friend: s.friendEmail,
        at: s.createdAt.toISOString(),
        network: s.network,
        device: s.device,
      })),
    };
  },
});
