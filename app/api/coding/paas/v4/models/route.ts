import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { openaiModels } from "@/lib/gateway/models-list";
import { gatewayRoute } from "@/lib/gateway/route";
import { withApiErrors } from "@/lib/http/api-error";

export const dynamic = "force-dynamic";

export const GET = withApiErrors(gatewayRoute("openai", (req) => openaiModels(appGatewayDeps(), req)));
