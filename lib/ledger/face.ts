import { db } from "../db";
import { onAppDb } from "../db/on-app-db";
import { adjustCredits } from "./grants";
import { balancesOf, movementsOf } from "./history";

/** The wallet's reads and the admin's credit form, on the running app's database (issue 21: app/ hands lib/ no handle). */
export const movementsFor = (userId: string, take?: number) => movementsOf(db(), userId, take);
export const balancesFor = (userId: string) => balancesOf(db(), userId);
export const adjustCreditsFor = onAppDb(adjustCredits);
