import * as chat from "../../app/api/coding/paas/v4/chat/completions/route";
import * as models from "../../app/api/coding/paas/v4/models/route";
import * as messages from "../../app/api/anthropic/v1/messages/route";
import * as countTokens from "../../app/api/anthropic/v1/messages/count_tokens/route";
import * as quotaLimit from "../../app/api/monitor/usage/quota/limit/route";
import * as modelUsage from "../../app/api/monitor/usage/model-usage/route";
import * as toolUsage from "../../app/api/monitor/usage/tool-usage/route";
import * as subscriptionList from "../../app/api/biz/subscription/list/route";
import * as gateway from "../../app/api/gateway/v1/[...op]/route";
import * as paygChat from "../../app/api/paas/v4/chat/completions/route";
import { serveRoutes } from "./route-server";

/** The quota and gateway routes of the app, served over HTTP for the contract and SDK tests. */
export function serveQuotaRoutes() {
  return serveRoutes({
    "/api/coding/paas/v4/chat/completions": { POST: chat.POST },
    "/api/coding/paas/v4/models": { GET: models.GET },
    "/api/anthropic/v1/messages": { POST: messages.POST },
    "/api/anthropic/v1/messages/count_tokens": { POST: countTokens.POST },
    "/api/monitor/usage/quota/limit": { GET: quotaLimit.GET },
    "/api/monitor/usage/model-usage": { GET: modelUsage.GET },
    "/api/monitor/usage/tool-usage": { GET: toolUsage.GET },
    "/api/biz/subscription/list": { GET: subscriptionList.GET },
    "/api/gateway/v1/*": { POST: gateway.POST as never },
    "/api/paas/v4/chat/completions": { POST: paygChat.POST },
  });
}
