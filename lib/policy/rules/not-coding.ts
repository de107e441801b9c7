import { definePolicyRule, type RecentCall } from "../define";

export function isCodingClient(client: string, known: string[]): boolean {
  const c = client.toLowerCase();
  return c !== "" && known.some((k) => c.startsWith(k));
}

/**
 * POLICY-1: traffic that is clearly not from coding tools. A call counts
 * against the plan when its client is not a known coding tool AND it is not
 * shaped like an agent's (no tools, no system prompt). Fires when such calls
 * are at least the threshold share of at least `minCalls` recent calls.
 */
export const notCoding = definePolicyRule({
  type: "not_coding",
  evaluate(calls, config) {
    if (calls.length < config.notCoding.minCalls) return null;
    const off = calls.filter((c: RecentCall) => !isCodingClient(c.client, config.codingClients) && !c.agentShaped);
    const shareBps = Math.floor((off.length * 10000) / calls.length);
    if (shareBps < config.notCoding.thresholdBps) return null;
    const clients = [...new Set(off.map((c) => c.client || "(none)"))].slice(0, 10);
    return {
      calls: calls.length,
      offPattern: off.length,
      shareBps,
      thresholdBps: config.notCoding.thresholdBps,
      clients,
    };
  },
});
