import { anthropicMessages } from "@/lib/gateway/anthropic-wire";
import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { gatewayRoute } from "@/lib/gateway/route";
import { appOutcomes } from "@/lib/ops/app-tally";
import { countedRoute } from "@/lib/ops/outcomes";

export const dynamic = "force-dynamic";

// The coding-plan endpoint in Anthropic's messages shape (COMPAT.md), streamed or not.
export const POST = countedRoute(
  appOutcomes,
  gatewayRoute("anthropic", (req) => anthropicMessages(appGatewayDeps(), req)),
);
