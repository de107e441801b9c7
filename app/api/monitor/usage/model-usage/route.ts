import { withApiErrors } from "@/lib/http/api-error";
import { usageReadout } from "@/lib/quota/readouts";
import { readoutRoute } from "@/lib/quota/readout-route";

export const dynamic = "force-dynamic";

// Tokens per model in hourly buckets (UTC+8) over at most 31 days (COMPAT.md).
export const GET = withApiErrors(
  readoutRoute(({ ctx, authorization, lang, query, now }) =>
    usageReadout(ctx, "model", authorization, lang, query.get("startTime"), query.get("endTime"), now),
  ),
);
