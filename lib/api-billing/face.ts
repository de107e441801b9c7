import { db } from "../db";
import { dailyRecords } from "./daily";
import { packsOf } from "./user-packs";

/** Pay-as-you-go's reads for screens that hold no database handle (issue 21), on the running app's database. */
export const dailyRecordsFor = (userId: string, opts: { take: number }) => dailyRecords(db(), userId, opts);
export const packsFor = (userId: string, now: Date) => packsOf(db(), userId, now);
