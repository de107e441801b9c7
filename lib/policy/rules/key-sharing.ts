import { definePolicyRule } from "../define";

/**
 * POLICY-3: one key used from many networks at once, the sign of a shared
 * subscription. Slides a window of `windowMinutes` over each key's calls and
 * fires when any window holds more distinct networks than allowed.
 */
export const keySharing = definePolicyRule({
  type: "key_sharing",
  evaluate(calls, config) {
    const windowMs = config.sharing.windowMinutes * 60_000;
    const byKey = new Map<string, typeof calls>();
    for (const c of calls) byKey.set(c.keyId, [...(byKey.get(c.keyId) ?? []), c]);
    for (const [keyId, keyCalls] of byKey) {
      const sorted = [...keyCalls].filter((c) => c.network !== "unknown").sort((a, b) => a.at.getTime() - b.at.getTime());
      let start = 0;
      const counts = new Map<string, number>();
      for (const c of sorted) {
        counts.set(c.network, (counts.get(c.network) ?? 0) + 1);
        while (c.at.getTime() - sorted[start].at.getTime() >= windowMs) {
          const gone = sorted[start++].network;
          const n = counts.get(gone)! - 1;
          if (n === 0) counts.delete(gone);
          else counts.set(gone, n);
        }
        if (counts.size > config.sharing.maxNetworksPerKey)
          return { keyId, networks: [...counts.keys()], windowMinutes: config.sharing.windowMinutes, max: config.sharing.maxNetworksPerKey, at: c.at.toISOString() };
      }
    }
    return null;
  },
});
