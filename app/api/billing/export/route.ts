import { getCurrentUser } from "@/lib/auth/session";
import { z } from "zod";
import { EXPORT_TYPES } from "@/lib/composition/billing-export";
import { billingExportFor } from "@/lib/composition/face";
import { apiError, withApiErrors } from "@/lib/http/api-error";

/** CSV export of the signed-in user's invoices (one row per line), wallet movements or daily API consumption. */
export const GET = withApiErrors(async (req: Request) => {
  const user = await getCurrentUser();
  if (!user) return apiError(401, "unauthenticated", "Sign in to export your billing history.");
  const parsed = z.enum(EXPORT_TYPES).safeParse(new URL(req.url).searchParams.get("type") ?? "invoices");
  if (!parsed.success) return apiError(422, "invalid_input", `type must be one of: ${EXPORT_TYPES.join(", ")}`);
  const type = parsed.data;
  const csv = await billingExportFor(user.id, type);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="codeplan-${type}.csv"`,
      "cache-control": "private, no-store",
    },
  });
});
