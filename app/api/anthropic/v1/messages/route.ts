import { anthropicMessages } from "@/lib/gateway/anthropic-wire";
import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { gatewayRoute } from "@/lib/gateway/route";

export const dynamic = "force-dynamic";

// The coding-plan endpoint in Anthropic's messages shape (COMPAT.md), streamed or not.
export const POST = gatewayRoute("anthropic", (req) => anthropicMessages(appGatewayDeps(), req));
