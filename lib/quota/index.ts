export { admitCall } from "./admit";
export {
  authorize,
  consume,
  QUOTA_KINDS,
  type ConsumeInput,
  type Decision,
  type QuotaContext,
  type Windows,
} from "./consume";
export { quotaContext, quotaContextFor } from "./context";
export {
  createKey,
  listKeys,
  revokeKey,
  KeyError,
  MAX_LIVE_KEYS,
  KEY_NAME_MAX,
  KEY_PURPOSES,
  purposesAllowed,
  type KeyRow,
} from "./keys";
export { accountCurrency, keyTermsInput, setKeyTerms, termsOf, KEY_LIMIT_MAX, type KeyTerms } from "./key-terms";
export { keyUsage, type KeyUsage, type KeyUsageSpans } from "./key-usage";
export { windowOutlook, type Outlook, type RunOuts } from "./outlook";
export { findModel, modelRules, modelsForTier, type ModelEntry } from "./models";
export { langOf, refusalMessage, resetTimeText, wireCode, type Lang, type Refusal } from "./refusals";
export { reportUsage, type UsageInput } from "./report";
export { acquireSlot, releaseSlot, releaseSlotByKey, SLOT_LEASE_SECONDS_DEFAULT } from "./slots";
export { quotaStatus, type QuotaStatus } from "./status";
export { hashKey, type KeyPurpose, type KeySubject, type PlanSubject } from "./subjects";
export { usageHistory, type History, type Bucket } from "./history";
export { recentPrompts, type PromptRow } from "./prompt-history";
export { giveBack } from "./give-back";
