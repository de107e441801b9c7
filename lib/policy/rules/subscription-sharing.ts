import { definePolicyRule, type RecentCall } from "../define";
import { crowdedWindow } from "./crowded-window";

const SIGNALS = [
  ["networks", (c: RecentCall) => (c.network === "unknown" ? null : c.network), "maxNetworks"],
  ["clients", (c: RecentCall) => c.clientId, "maxClients"],
  ["devices", (c: RecentCall) => c.device, "maxDevices"],
] as const;

/**
 * POLICY-3 spread over keys: a subscriber who gives each friend a key of
 * their own stays under every per-key limit. This rule counts networks,
 * clients and devices over all of one subscription's keys together, with its
 * own limits, and fires only when two or more keys made the window's calls
 * (one key is the per-key rules' business).
 */
export const subscriptionSharing = definePolicyRule({
  type: "subscription_sharing",
  evaluate(calls, config) {
    const { windowMinutes, perSubscription } = config.sharing;
    for (const [signal, valueOf, limit] of SIGNALS) {
      const max = perSubscription[limit];
      const crowd = crowdedWindow(calls, valueOf, windowMinutes * 60_000, max, 2);
      if (crowd)
        return {
          signal,
          count: crowd.values.length,
          keys: crowd.keyIds.length,
          keyIds: crowd.keyIds.slice(0, 20),
          windowMinutes,
          max,
          at: crowd.at.toISOString(),
        };
    }
    return null;
  },
});
