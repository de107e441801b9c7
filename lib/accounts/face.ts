import { onAppDb } from "../db/on-app-db";
import { accountRegion } from "./region";

/** Account reads for actions that hold no database handle (issue 21). */
export const accountRegionFor = onAppDb(accountRegion);
