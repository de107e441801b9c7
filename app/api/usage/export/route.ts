import { getCurrentUser } from "@/lib/auth/session";
import { apiError, withApiErrors } from "@/lib/http/api-error";
import { callsExportFor } from "@/lib/ops/face";

export const dynamic = "force-dynamic";

/** GET /api/usage/export?from=YYYY-MM-DD&to=YYYY-MM-DD: the signed-in subscriber's own calls as CSV, streamed. */
export const GET = withApiErrors(async (req: Request) => {
  const user = await getCurrentUser();
  if (!user) return apiError(401, "unauthenticated", "Sign in to export your usage.");
  return callsExportFor(user.id, new URL(req.url).searchParams);
});
