import { onAppDb } from "../db/on-app-db";
import { decideViolation, liftBan, requestReview } from "./violations";

/** What the policy screens' actions call, on the running app's database (issue 21: app/ hands lib/ no handle). */
export const requestReviewFor = onAppDb(requestReview);
export const decideViolationFor = onAppDb(decideViolation);
export const liftBanFor = onAppDb(liftBan);
