// The referral programme's public face (REF-1..6): other contexts and app/ import from here.
export { referralCodeOf, normalizeCode } from "./code";
export { networkOf, sightingOf, type Sighting } from "./device";
export { recordSighting } from "./sightings";
export {
  recordVisit,
  attributeFromVisit,
  visitAttributed,
  applyInviteCode,
  type Attribution,
  type AttributionError,
} from "./attribution";
export { referralDiscountFor, offerOfVisit, referralOfferOf } from "./offer";
export { referralOnPaid } from "./on-paid";
export { referralOnMoneyBack } from "./clawback";
export { issueDueRewards, issueReward } from "./issuance";
export { reviewReferrals, type ReviewAction } from "./review";
export { flagQueue, decidersOf, openFlagCount, FLAG_STATES, type QueueFlag } from "./queue";
export { FRAUD_RULE_TYPES } from "./fraud/rules";
export { invitationsOf, type InvitationView } from "./invitations";
export { referralRules } from "./config";
export { maskEmail } from "./mask";
export { INVITE_COOKIE, INVITE_COOKIE_OPTIONS } from "./visit-cookie";
export { inviteByEmail, DAILY_EMAIL_INVITES, type EmailInviteError } from "./email-invites";
