import { appClock } from "@/lib/clock";
import { env } from "@/lib/config/env";
import { withApiErrors } from "@/lib/http/api-error";
import { metricsAccess } from "@/lib/ops/metrics-access";
import { metricsText } from "@/lib/ops/face";

export const dynamic = "force-dynamic";

/** GET /metrics: Prometheus text behind METRICS_TOKEN (404 when unset, 401 without the token). */
export const GET = withApiErrors(async (req: Request) => {
  const access = metricsAccess(env().METRICS_TOKEN, req.headers.get("authorization"));
  if (access === 404) return new Response("Not found\n", { status: 404 });
  if (access === 401)
    return new Response("Unauthorized\n", { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"' } });
  const { text, contentType } = await metricsText(await appClock().now());
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
