import { recordAudit } from "../audit/record";
import type { Db } from "../db";
import { apiError } from "../http/api-error";
import { callsCsvStream, exportRange } from "./call-export";

/** The CSV answer for a user's calls, or a 422 naming the bad field (nothing is read then). */
export function callsExportResponse(database: Db, userId: string, params: URLSearchParams): Response {
  const parsed = exportRange.safeParse({ from: params.get("from") ?? "", to: params.get("to") ?? "" });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return apiError(422, "invalid_input", `${issue.path.join(".") || "range"}: ${issue.message}`);
  }
  const name = `codeplan-calls-${params.get("from")}-${params.get("to")}.csv`;
  return new Response(callsCsvStream(database, userId, parsed.data), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "private, no-store",
    },
  });
}

/** An admin's export of a customer's calls: the customer must exist, and the export is audited (who, whose, which range). */
export async function adminCallsExport(
  database: Db,
  adminId: string,
  params: URLSearchParams,
  now: Date,
): Promise<Response> {
  const userId = params.get("user") ?? "";
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId))
    return apiError(422, "invalid_input", "user: must be a user id");
  if (!(await database.user.findUnique({ where: { id: userId }, select: { id: true } })))
    return apiError(404, "not_found", "No such user.");
  const response = callsExportResponse(database, userId, params);
  if (response.ok) {
    await recordAudit(database, {
      actorId: adminId,
      action: "usage.export",
      subjectType: "user",
      subjectId: userId,
      after: { from: params.get("from"), to: params.get("to") },
      at: now,
    });
  }
  return response;
}
