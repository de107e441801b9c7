import { onAppDb } from "../db/on-app-db";
import { adjustCredits } from "./grants";

/** What the admin's credit form calls, on the running app's database (issue 21: app/ hands lib/ no handle). */
export const adjustCreditsFor = onAppDb(adjustCredits);
