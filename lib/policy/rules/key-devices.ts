import { definePolicyRule } from "../define";
import { byKey, crowdedWindow } from "./crowded-window";

/**
 * POLICY-3: one key used from many devices at once, where the client reports
 * its installation (Claude Code does): more machines than one person works on.
 */
export const keyDevices = definePolicyRule({
  type: "key_devices",
  evaluate(calls, config) {
    const { windowMinutes, maxDevicesPerKey: max } = config.sharing;
    for (const [keyId, keyCalls] of byKey(calls)) {
      const crowd = crowdedWindow(keyCalls, (c) => c.device, windowMinutes * 60_000, max);
      if (crowd) return { keyId, devices: crowd.values.length, windowMinutes, max, at: crowd.at.toISOString() };
    }
    return null;
  },
});
