import { db } from "../db";
import { reviewRequestedCount, violationQueue, violationsOf, type QueueFilter } from "./queries";

/**
 * What the policy screens call, the subscriber's and the admins': the running
 * app's database is this context's to hold (issue 21), so app/ hands it no handle.
 */
export const violationsFor = (userId: string, now: Date) => violationsOf(db(), userId, now);
export const violationQueueFor = (filter: QueueFilter) => violationQueue(db(), filter);
export const reviewsRequested = () => reviewRequestedCount(db());
