import { keySharing } from "./key-sharing";
import { notCoding } from "./not-coding";

/** Every usage-policy rule (POLICY-1, POLICY-3). */
export const POLICY_RULES = [notCoding, keySharing];
