import { definePolicyRule } from "../define";
import { byKey, crowdedWindow } from "./crowded-window";

/**
 * POLICY-3: one key used from many networks at once, the sign of a shared
 * subscription. Slides a window of `windowMinutes` over each key's calls and
 * fires when any window holds more distinct networks than allowed.
 */
export const keySharing = definePolicyRule({
  type: "key_sharing",
  evaluate(calls, config) {
    const { windowMinutes, maxNetworksPerKey: max } = config.sharing;
    for (const [keyId, keyCalls] of byKey(calls)) {
      const crowd = crowdedWindow(
        keyCalls,
        (c) => (c.network === "unknown" ? null : c.network),
        windowMinutes * 60_000,
        max,
      );
      if (crowd) return { keyId, networks: crowd.values, windowMinutes, max, at: crowd.at.toISOString() };
    }
    return null;
  },
});
