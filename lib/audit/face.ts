import { db } from "../db";
import { queryAudit, type AuditFilter } from "./query";

/** The admins' audit screen, on the running app's database (issue 21: app/ hands lib/ no handle). */
export const auditPage = (filter: AuditFilter, page: { before?: bigint; limit: number }) =>
  queryAudit(db(), filter, page);
