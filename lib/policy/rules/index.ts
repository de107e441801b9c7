import { keyClients } from "./key-clients";
import { keyDevices } from "./key-devices";
import { keySharing } from "./key-sharing";
import { notCoding } from "./not-coding";
import { subscriptionSharing } from "./subscription-sharing";

/** Every usage-policy rule (POLICY-1, POLICY-3), in the order they are tried: the first that fires is recorded. */
export const POLICY_RULES = [notCoding, keySharing, keyDevices, keyClients, subscriptionSharing];
