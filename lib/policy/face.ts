import { db } from "../db";
import { onAppDb } from "../db/on-app-db";
import { reviewRequestedCount, violationQueue, violationsOf, type QueueFilter } from "./queries";
import { decideViolation, liftBan, requestReview } from "./violations";

/**
 * What the policy screens and their actions call, the subscriber's and the
 * admins': the running app's database is this context's to hold (issue 21),
 * so app/ hands it no handle.
 */
export const violationsFor = (userId: string, now: Date) => violationsOf(db(), userId, now);
export const violationQueueFor = (filter: QueueFilter) => violationQueue(db(), filter);
export const reviewsRequested = () => reviewRequestedCount(db());
export const requestReviewFor = onAppDb(requestReview);
export const decideViolationFor = onAppDb(decideViolation);
export const liftBanFor = onAppDb(liftBan);
