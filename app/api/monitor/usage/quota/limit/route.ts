import { withApiErrors } from "@/lib/http/api-error";
import { quotaLimitReadout } from "@/lib/quota/readouts";
import { readoutRoute } from "@/lib/quota/readout-route";

export const dynamic = "force-dynamic";

// QUOTA-10: each window's use, in the shape third-party usage meters parse (COMPAT.md).
export const GET = withApiErrors(
  readoutRoute(({ ctx, authorization, lang, now }) => quotaLimitReadout(ctx, authorization, lang, now)),
);
