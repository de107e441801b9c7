import type { Db } from "../../lib/db";
import { anthropicCountTokens, anthropicMessages } from "../../lib/gateway/anthropic-wire";
import type { GatewayDeps } from "../../lib/gateway/call";
import type { ModelServers } from "../../lib/gateway/model-servers";
import { openaiChat } from "../../lib/gateway/openai-wire";
import { gatewayRoute } from "../../lib/gateway/route";
import { ctxOf } from "./quota";
import { serveRoutes } from "./route-server";

/** Model servers as a test wants them: none configured (the local responder) unless given. */
export function servers(over: Partial<ModelServers> = {}): ModelServers {
  return { anthropic: null, openai: null, local: true, modelMap: new Map(), connectTimeoutMs: 2_000, idleTimeoutMs: 2_000, ...over };
}

/**
 * The reference gateway's coding-plan routes over real HTTP, with the
 * app's handlers and deps a test can change between calls (model servers,
 * clock). `log` collects what the gateway logs.
 */
export async function serveGateway(db: Db, url: string, init: Partial<GatewayDeps> = {}) {
  const lines: string[] = [];
  const deps: GatewayDeps = { ctx: ctxOf(db, url), now: async () => new Date(), leaseSeconds: 60, servers: servers(), log: (l) => lines.push(l), ...init };
  const served = await serveRoutes({
    "/api/anthropic/v1/messages": { POST: gatewayRoute("anthropic", (req) => anthropicMessages(deps, req)) },
    "/api/anthropic/v1/messages/count_tokens": { POST: gatewayRoute("anthropic", (req) => anthropicCountTokens(deps, req)) },
    "/api/coding/paas/v4/chat/completions": { POST: gatewayRoute("openai", (req) => openaiChat(deps, req)) },
  });
  return { ...served, deps, lines, anthropicBase: `${served.url}/api/anthropic`, openaiBase: `${served.url}/api/coding/paas/v4` };
}
