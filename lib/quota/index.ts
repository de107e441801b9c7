export { authorize, consume, QUOTA_KINDS, type ConsumeInput, type Decision, type QuotaContext, type Windows } from "./consume";
export { quotaContext, quotaContextFor } from "./context";
export { createKey, listKeys, revokeKey, KeyError, MAX_LIVE_KEYS, KEY_NAME_MAX, type KeyRow } from "./keys";
export { findModel, modelRules, modelsForTier, type ModelEntry } from "./models";
export { langOf, refusalMessage, resetTimeText, wireCode, type Lang, type Refusal } from "./refusals";
export { reportUsage, type UsageInput } from "./report";
export { acquireSlot, releaseSlot, SLOT_LEASE_SECONDS_DEFAULT } from "./slots";
export { quotaStatus, type QuotaStatus } from "./status";
export { hashKey, type KeySubject, type PlanSubject } from "./subjects";
