// The usage policy's public face (POLICY-1..3) for app/: read models, decisions and settings.
export { policySettings, type PolicySettings } from "./config";
export { isThrottled } from "./throttle";
export { requestReview, decideViolation, liftBan, PolicyError } from "./violations";
export {
  violationsOf,
  violationQueue,
  reviewRequestedCount,
  VIOLATION_STATES,
  UNDECIDED,
  POLICY_RULE_TYPES,
  type ViolationState,
  type QueueFilter,
  type QueueViolation,
  type SubscriberViolations,
} from "./queries";
