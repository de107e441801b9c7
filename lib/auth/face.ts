import { onAppDb } from "../db/on-app-db";
import { requestSignUp } from "./sign-up-request";
import { signOutEverywhere } from "./sign-out-everywhere";

/** What the sign-up and account actions call, on the running app's database (issue 21: app/ hands lib/ no handle). */
export const requestSignUpFor = onAppDb(requestSignUp);
export const signOutEverywhereFor = onAppDb(signOutEverywhere);
