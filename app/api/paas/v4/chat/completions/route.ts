import { paygContext } from "@/lib/api-billing";
import { appGatewayDeps } from "@/lib/gateway/gateway-deps";
import { openaiChat } from "@/lib/gateway/openai-wire";
import { paygGovern } from "@/lib/gateway/payg-call";
import { gatewayRoute } from "@/lib/gateway/route";
import { withApiErrors } from "@/lib/http/api-error";
import { appOutcomes } from "@/lib/ops/app-tally";
import { countedRoute } from "@/lib/ops/outcomes";

export const dynamic = "force-dynamic";

// The general API, billed per token from the pay-as-you-go balance (BILL-1, BILL-3), in the OpenAI shape.
export const POST = withApiErrors(
  countedRoute(
    appOutcomes,
    gatewayRoute("openai", (req) => openaiChat(appGatewayDeps(), req, paygGovern(paygContext()))),
  ),
);
