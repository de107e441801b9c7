import { openaiChat } from "@/lib/gateway/openai-wire";
import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { gatewayRoute } from "@/lib/gateway/route";
import { withApiErrors } from "@/lib/http/api-error";
import { appOutcomes } from "@/lib/ops/app-tally";
import { countedRoute } from "@/lib/ops/outcomes";

export const dynamic = "force-dynamic";

// The coding-plan endpoint in OpenAI's chat-completions shape (COMPAT.md), streamed or not.
export const POST = withApiErrors(
  countedRoute(
    appOutcomes,
    gatewayRoute("openai", (req) => openaiChat(appGatewayDeps(), req)),
  ),
);
