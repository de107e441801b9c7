import { getCurrentUser } from "@/lib/auth/session";
import { billingExportCsv } from "@/lib/billing/export";
import { db } from "@/lib/db";
import { apiError, withApiErrors } from "@/lib/http/api-error";

/** CSV export of the signed-in user's invoices (one row per line) or wallet movements. */
export const GET = withApiErrors(async (req: Request) => {
  const user = await getCurrentUser();
  if (!user) return apiError(401, "unauthenticated", "Sign in to export your billing history.");
  const type = new URL(req.url).searchParams.get("type") ?? "invoices";
  if (type !== "invoices" && type !== "movements") return apiError(422, "invalid_input", "type must be invoices or movements");
  const csv = await billingExportCsv(db(), user.id, type);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="codeplan-${type}.csv"`,
      "cache-control": "private, no-store",
    },
  });
});
