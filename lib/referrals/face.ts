import { db } from "../db";
import { onAppDb } from "../db/on-app-db";
import { applyInviteCode, attributeFromVisit, recordVisit, visitAttributed } from "./attribution";
import { referralCodeOf } from "./code";
import { inviteByEmail } from "./email-invites";
import { invitationsOf } from "./invitations";
import { offerOfVisit, referralOfferOf } from "./offer";
import { decidersOf, flagQueue, openFlagCount, type FlagFilter } from "./queue";
import { reviewReferrals } from "./review";

/**
 * What the referral screens, their actions, the invite link and the admins'
 * review queue call: the running app's database is this context's to hold
 * (issue 21), so app/ hands it no handle.
 */
export const referralCodeFor = (userId: string, now: Date) => referralCodeOf(db(), userId, now);
export const invitationsFor = (inviterId: string, now: Date) => invitationsOf(db(), inviterId, now);
export const referralOfferFor = (userId: string, now: Date) => referralOfferOf(db(), userId, now);
export const offerOfVisitAt = (visitId: string | undefined, now: Date) => offerOfVisit(db(), visitId, now);
export const visitAttributedTo = (friendId: string, visitId: string) => visitAttributed(db(), friendId, visitId);
export const recordLinkVisit = (input: Parameters<typeof recordVisit>[1]) => recordVisit(db(), input);
export const referralFlagQueue = (filter: FlagFilter) => flagQueue(db(), filter);
export const flagDeciders = (flags: { decidedBy: string | null }[]) => decidersOf(db(), flags);
export const openReferralFlagCount = () => openFlagCount(db());
export const inviteByEmailFor = onAppDb(inviteByEmail);
export const applyInviteCodeFor = onAppDb(applyInviteCode);
export const attributeFromVisitFor = onAppDb(attributeFromVisit);
export const reviewReferralsFor = onAppDb(reviewReferrals);
