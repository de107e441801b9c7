import { db } from "../db";
import { onAppDb } from "../db/on-app-db";
import { accountCurrency, setKeyTerms } from "./key-terms";
import { createKey, listKeys, revokeKey } from "./keys";

/** The keys screen and its actions, on the running app's database (issue 21: app/ hands lib/ no handle). */
export const keysFor = (userId: string) => listKeys(db(), userId);
export const createKeyFor = onAppDb(createKey);
export const revokeKeyFor = onAppDb(revokeKey);
export const setKeyTermsFor = onAppDb(setKeyTerms);
export const accountCurrencyFor = onAppDb(accountCurrency);
