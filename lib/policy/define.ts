/**
 * Usage-policy rules (POLICY-1..3), declarative like the referral fraud
 * rules: each is a type and a pure `evaluate` over one subscription's recent
 * calls, with its thresholds passed in from configuration. A rule that fires
 * returns its evidence; recording the violation and throttling are the
 * caller's business.
 */
export type RecentCall = {
  at: Date;
  keyId: string;
  /** The client's own name for itself (the User-Agent's first product token, lower-cased), or "" when it sent none. */
  client: string;
  /** The caller's network (/24 or /64, lib/referrals/device.ts). */
  network: string;
  /** Whether the request carried tool definitions or a system prompt: what coding agents always send. */
  agentShaped: boolean;
  /** POLICY-3: the client (User-Agent with its own session id) and the device it reports, hashed (lib/policy/signals.ts); null when unknown. */
  clientId?: string | null;
  device?: string | null;
};

export type PolicyConfig = {
  /** Client names that identify coding tools (prefix match). */
  codingClients: string[];
  notCoding: { minCalls: number; thresholdBps: number };
  sharing: {
    windowMinutes: number;
    maxNetworksPerKey: number;
    maxClientsPerKey: number;
    maxDevicesPerKey: number;
    perSubscription: { maxNetworks: number; maxClients: number; maxDevices: number };
  };
};

export type Evidence = Record<string, unknown>;

export type PolicyRule = {
  type: string;
  evaluate: (calls: RecentCall[], config: PolicyConfig) => Evidence | null;
};

export function definePolicyRule(rule: PolicyRule): PolicyRule {
  return rule;
}
