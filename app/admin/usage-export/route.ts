import { adminForRoute } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { withApiErrors } from "@/lib/http/api-error";
import { adminCallsExportFor } from "@/lib/ops/face";

export const dynamic = "force-dynamic";

/**
 * GET /admin/usage-export?user=<id>&from=…&to=…: any customer's calls as CSV,
 * streamed; admins only, audited. Under /admin, so the proxy turns
 * non-admins away before this runs, and the route checks again (SEC-1).
 */
export const GET = withApiErrors(async (req: Request) => {
  const gate = await adminForRoute();
  if (!gate.ok) return gate.response;
  return adminCallsExportFor(gate.admin.id, new URL(req.url).searchParams, await appClock().now());
});
