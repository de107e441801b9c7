import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { openaiModels } from "@/lib/gateway/models-list";
import { gatewayRoute } from "@/lib/gateway/route";

export const dynamic = "force-dynamic";

export const GET = gatewayRoute("openai", (req) => openaiModels(appGatewayDeps(), req));
