import { describe, expect, it } from "vitest";
import type { ReferralRules } from "../../lib/referrals/config";
import type { FraudFacts } from "../../lib/referrals/fraud/define";
import { firedRules } from "../../lib/referrals/fraud/evaluate";
import { bulkRegistration } from "../../lib/referrals/fraud/rules/bulk-registration";
import { disposableEmail, isDisposableEmail } from "../../lib/referrals/fraud/rules/disposable-email";
import { inviteeRefundRate } from "../../lib/referrals/fraud/rules/invitee-refund-rate";
import { selfReferralCard } from "../../lib/referrals/fraud/rules/self-referral-card";
import { selfReferralDevice } from "../../lib/referrals/fraud/rules/self-referral-device";
import { sharedDevice } from "../../lib/referrals/fraud/rules/shared-device";

const config: ReferralRules["fraud"] = {
  bulkRegistration: { windowHours: 24, minSignups: 3 },
  sharedDevice: { windowDays: 30, minAccounts: 3 },
  refundRate: { minInvitees: 4, thresholdBps: 3000 },
};
const at = new Date("2027-03-01T10:00:00Z");

function facts(over: Partial<FraudFacts> = {}): FraudFacts {
  return {
    referral: { id: "r1", createdAt: at, visitedAt: at, network: "203.0.113.0/24", device: "d-friend" },
    inviter: { id: "i", email: "inviter@example.com", devices: ["d-inviter"], cardFingerprints: ["fp-inviter"] },
    friend: { id: "f", email: "friend@example.com", cardFingerprints: ["fp-friend"] },
    recentSiblings: [],
    accountsOnDevice: [],
    accountsOnNetwork: [],
    inviteeOrders: { paid: 0, refundedOrDisputed: 0 },
    ...over,
  };
}
const sibling = (n: number, seen: { network?: string; device?: string }) => ({
  id: `s${n}`,
  friendEmail: `s${n}@example.com`,
  createdAt: at,
  network: seen.network ?? `198.51.${n}.0/24`,
  device: seen.device ?? `d-${n}`,
});

describe("referral fraud rules (REF-5), each a pure evaluate over loaded facts", () => {
  it("REF-5: an ordinary invitation fires no rule at any stage", () => {
    for (const stage of ["signup", "payment", "issuance"] as const)
      expect(firedRules(facts(), stage, config)).toEqual([]);
  });

  it("REF-5: bulk registration fires on the third sign-up through one inviter from one network or one device", () => {
    expect(
      bulkRegistration.evaluate(facts({ recentSiblings: [sibling(1, { network: "203.0.113.0/24" })] }), config),
    ).toBeNull();
    const sameNetwork = bulkRegistration.evaluate(
      facts({ recentSiblings: [sibling(1, { network: "203.0.113.0/24" }), sibling(2, { network: "203.0.113.0/24" })] }),
      config,
    );
    expect(sameNetwork).toMatchObject({
      network: "203.0.113.0/24",
      signups: [{ friend: "s1@example.com" }, { friend: "s2@example.com" }],
    });
    expect(
      bulkRegistration.evaluate(
        facts({ recentSiblings: [sibling(1, { device: "d-friend" }), sibling(2, { device: "d-friend" })] }),
        config,
      ),
    ).not.toBeNull();
    // Other networks and devices do not count.
    expect(
      bulkRegistration.evaluate(facts({ recentSiblings: [sibling(1, {}), sibling(2, {}), sibling(3, {})] }), config),
    ).toBeNull();
  });

  it("REF-5: a friend paying with a card the inviter also uses is a self-referral", () => {
    expect(selfReferralCard.evaluate(facts(), config)).toBeNull();
    expect(
      selfReferralCard.evaluate(
        facts({ friend: { id: "f", email: "f@example.com", cardFingerprints: ["fp-inviter"] } }),
        config,
      ),
    ).toEqual({ cardFingerprints: ["fp-inviter"] });
    expect(selfReferralCard.stages).not.toContain("signup");
  });

  it("REF-5: a friend on a device the inviter has used is a self-referral", () => {
    expect(selfReferralDevice.evaluate(facts(), config)).toBeNull();
    expect(
      selfReferralDevice.evaluate(
        facts({ inviter: { id: "i", email: "i@example.com", devices: ["d-friend"], cardFingerprints: [] } }),
        config,
      ),
    ).toEqual({ device: "d-friend" });
  });

  it("REF-5: throw-away e-mail domains (and their subdomains) are flagged from the maintained list", () => {
    expect(isDisposableEmail("x@mailinator.com")).toBe(true);
    expect(isDisposableEmail("x@eu.mailinator.com")).toBe(true);
    expect(isDisposableEmail("x@gmail.com")).toBe(false);
    expect(isDisposableEmail("x@example.com")).toBe(false);
    expect(
      disposableEmail.evaluate(facts({ friend: { id: "f", email: "x@mailinator.com", cardFingerprints: [] } }), config),
    ).toEqual({ email: "x@mailinator.com", domain: "mailinator.com" });
  });

  it("REF-5: an inviter whose paid invitees are refunded or disputed at 30 % or more (of at least 4) is flagged", () => {
    expect(inviteeRefundRate.evaluate(facts({ inviteeOrders: { paid: 3, refundedOrDisputed: 3 } }), config)).toBeNull();
    expect(
      inviteeRefundRate.evaluate(facts({ inviteeOrders: { paid: 10, refundedOrDisputed: 2 } }), config),
    ).toBeNull();
    expect(inviteeRefundRate.evaluate(facts({ inviteeOrders: { paid: 10, refundedOrDisputed: 3 } }), config)).toEqual({
      paid: 10,
      refundedOrDisputed: 3,
      rateBps: 3000,
      thresholdBps: 3000,
    });
  });

  it("REF-5: one device or network behind three accounts is flagged, with the accounts as evidence", () => {
    const two = [{ id: "a", email: "a@example.com" }];
    expect(sharedDevice.evaluate(facts({ accountsOnDevice: two }), config)).toBeNull();
    const three = [...two, { id: "b", email: "b@example.com" }];
    expect(sharedDevice.evaluate(facts({ accountsOnDevice: three }), config)).toEqual({
      windowDays: 30,
      device: "d-friend",
      deviceAccounts: ["a@example.com", "b@example.com"],
    });
    expect(sharedDevice.evaluate(facts({ accountsOnNetwork: three }), config)).toMatchObject({
      network: "203.0.113.0/24",
      networkAccounts: ["a@example.com", "b@example.com"],
    });
    // An unknown network is no evidence.
    expect(
      sharedDevice.evaluate(
        facts({ referral: { ...facts().referral, network: "unknown" }, accountsOnNetwork: three }),
        config,
      ),
    ).toBeNull();
  });

  it("REF-5: thresholds come from configuration, not the rules", () => {
    const strict = { ...config, bulkRegistration: { windowHours: 24, minSignups: 2 } };
    expect(
      bulkRegistration.evaluate(facts({ recentSiblings: [sibling(1, { device: "d-friend" })] }), strict),
    ).not.toBeNull();
    expect(
      firedRules(facts({ recentSiblings: [sibling(1, { device: "d-friend" })] }), "signup", strict).map((f) => f.rule),
    ).toEqual(["bulk_registration"]);
  });
});
