import { onAppDb } from "../db/on-app-db";
import { applyInviteCode, attributeFromVisit } from "./attribution";
import { inviteByEmail } from "./email-invites";
import { reviewReferrals } from "./review";

/** What the referral screens' actions call, on the running app's database (issue 21: app/ hands lib/ no handle). */
export const inviteByEmailFor = onAppDb(inviteByEmail);
export const applyInviteCodeFor = onAppDb(applyInviteCode);
export const attributeFromVisitFor = onAppDb(attributeFromVisit);
export const reviewReferralsFor = onAppDb(reviewReferrals);
