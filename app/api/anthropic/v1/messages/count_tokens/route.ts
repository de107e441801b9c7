import { anthropicCountTokens } from "@/lib/gateway/anthropic-wire";
import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { gatewayRoute } from "@/lib/gateway/route";
import { withApiErrors } from "@/lib/http/api-error";

export const dynamic = "force-dynamic";

export const POST = withApiErrors(gatewayRoute("anthropic", (req) => anthropicCountTokens(appGatewayDeps(), req)));
