import { db } from "../db";
import { noticesOf } from "./mail-outbox";

/** The dashboard's notices, on the running app's database (issue 21: app/ hands lib/ no handle). */
export const noticesFor = (userId: string, limit?: number) => noticesOf(db(), userId, limit);
