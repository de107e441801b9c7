import { anthropicMessages } from "@/lib/gateway/anthropic-wire";
import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { gatewayRoute } from "@/lib/gateway/route";
import { withApiErrors } from "@/lib/http/api-error";
import { appOutcomes } from "@/lib/ops/app-tally";
import { countedRoute } from "@/lib/ops/outcomes";

export const dynamic = "force-dynamic";

// The coding-plan endpoint in Anthropic's messages shape (COMPAT.md), streamed or not.
export const POST = withApiErrors(
  countedRoute(
    appOutcomes,
    gatewayRoute("anthropic", (req) => anthropicMessages(appGatewayDeps(), req)),
  ),
);
