import { onAppDb } from "../db/on-app-db";
import { accountCurrency, setKeyTerms } from "./key-terms";
import { createKey, revokeKey } from "./keys";

/** What the keys screen's actions call, on the running app's database (issue 21: app/ hands lib/ no handle). */
export const createKeyFor = onAppDb(createKey);
export const revokeKeyFor = onAppDb(revokeKey);
export const setKeyTermsFor = onAppDb(setKeyTerms);
export const accountCurrencyFor = onAppDb(accountCurrency);
