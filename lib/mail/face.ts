import { onAppDb } from "../db/on-app-db";
import { admitSend } from "./send-throttle";

/** The e-mail throttle on the running app's database, for actions that send mail (issue 21). */
export const admitSendFor = onAppDb(admitSend);
