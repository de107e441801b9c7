import { db } from "../db";
import { accountCurrency } from "./key-terms";
import { listKeys } from "./keys";

/** The keys screen's reads, on the running app's database (issue 21: app/ hands lib/ no handle). */
export const keysFor = (userId: string) => listKeys(db(), userId);
export const accountCurrencyOf = (userId: string) => accountCurrency(db(), userId);
