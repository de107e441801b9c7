import { withApiErrors } from "@/lib/http/api-error";
import { subscriptionListReadout } from "@/lib/quota/readouts";
import { readoutRoute } from "@/lib/quota/readout-route";

export const dynamic = "force-dynamic";

// The key owner's active coding plan, or an empty list (COMPAT.md).
export const GET = withApiErrors(
  readoutRoute(({ ctx, authorization, lang }) => subscriptionListReadout(ctx, authorization, lang)),
);
