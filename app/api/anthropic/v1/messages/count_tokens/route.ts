import { anthropicCountTokens } from "@/lib/gateway/anthropic-wire";
import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { gatewayRoute } from "@/lib/gateway/route";

export const dynamic = "force-dynamic";

export const POST = gatewayRoute("anthropic", (req) => anthropicCountTokens(appGatewayDeps(), req));
