import { db } from "../db";
import { balancesOf, movementsOf } from "./history";

/** The wallet's reads for screens that hold no database handle (issue 21), on the running app's database. */
export const movementsFor = (userId: string, take?: number) => movementsOf(db(), userId, take);
export const balancesFor = (userId: string) => balancesOf(db(), userId);
