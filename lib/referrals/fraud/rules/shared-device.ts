import { defineFraudRule } from "../define";

/** The friend's device or network is behind many distinct accounts (the friend's own included). */
export const sharedDevice = defineFraudRule({
  type: "shared_device_network",
  stages: ["signup", "payment", "issuance"],
  evaluate(facts, config) {
    const min = config.sharedDevice.minAccounts;
    const onDevice = facts.accountsOnDevice.length + 1 >= min;
    const onNetwork = facts.referral.network !== "unknown" && facts.accountsOnNetwork.length + 1 >= min;
    if (!onDevice && !onNetwork) return null;
    return {
      windowDays: config.sharedDevice.windowDays,
      ...(onDevice && { device: facts.referral.device, deviceAccounts: facts.accountsOnDevice.map((a) => a.email) }),
      ...(onNetwork && {
        network: facts.referral.network,
        networkAccounts: facts.accountsOnNetwork.map((a) => a.email),
      }),
    };
  },
});
