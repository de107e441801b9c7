import type { ReferralRules } from "../config";

export type FraudStage = "signup" | "payment" | "issuance";

type Seen = { network: string; device: string };
export type Account = { id: string; email: string };

/** Everything the rules look at, loaded once per evaluation (fraud/facts.ts), so each rule is a pure function. */
export type FraudFacts = {
  referral: { id: string; createdAt: Date; visitedAt: Date } & Seen;
  inviter: Account & { devices: string[]; cardFingerprints: string[] };
  friend: Account & { cardFingerprints: string[] };
  /** The inviter's other invitations attributed within the bulk window either side of this one. */
  recentSiblings: (Seen & { id: string; friendEmail: string; createdAt: Date })[];
  /** Other accounts seen on the friend's device and network within the shared-device window. */
  accountsOnDevice: Account[];
  accountsOnNetwork: Account[];
  /** The inviter's paid invitations, and how many of them were refunded or disputed. */
  inviteeOrders: { paid: number; refundedOrDisputed: number };
};

export type Evidence = Record<string, unknown>;

/** A fraud rule (DESIGN.md 10): a type, the stages it runs at, and a pure evaluate that returns evidence when it fires. */
export type FraudRule = {
  type: string;
  stages: FraudStage[];
  evaluate: (facts: FraudFacts, config: ReferralRules["fraud"]) => Evidence | null;
};

export function defineFraudRule(rule: FraudRule): FraudRule {
  return rule;
}
