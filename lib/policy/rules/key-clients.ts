import { definePolicyRule } from "../define";
import { byKey, crowdedWindow } from "./crowded-window";

/**
 * POLICY-3: one key used by many distinct clients at once (a client is its
 * User-Agent with its own session id, hashed): more sessions than one person
 * runs side by side. The evidence names the clients' product names, never
 * their ids.
 */
export const keyClients = definePolicyRule({
  type: "key_clients",
  evaluate(calls, config) {
    const { windowMinutes, maxClientsPerKey: max } = config.sharing;
    for (const [keyId, keyCalls] of byKey(calls)) {
      const crowd = crowdedWindow(keyCalls, (c) => c.clientId, windowMinutes * 60_000, max);
      if (!crowd) continue;
      const names = [
        ...new Set(
          keyCalls.filter((c) => c.clientId && crowd.values.includes(c.clientId)).map((c) => c.client || "(none)"),
        ),
      ].slice(0, 10);
      return { keyId, clients: crowd.values.length, names, windowMinutes, max, at: crowd.at.toISOString() };
    }
    return null;
  },
});
