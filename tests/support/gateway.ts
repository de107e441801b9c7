import type { Db } from "../../lib/db";
import type { AddressInfo } from "node:net";
import { anthropicCountTokens, anthropicMessages, anthropicMessagesAnswer } from "../../lib/gateway/anthropic-wire";
import type { GatewayDeps } from "../../lib/gateway/call";
import type { ModelServers } from "../../lib/gateway/model-servers";
import * as paths from "../../lib/gateway/decision-server";
import { openaiChat, openaiChatAnswer } from "../../lib/gateway/openai-wire";
import { gatewayRoute } from "../../lib/gateway/route";
import { ctxOf } from "./quota";
import { serveRoutes } from "./route-server";

/** Model servers as a test wants them: none configured (the local responder) unless given. */
export function servers(over: Partial<ModelServers> = {}): ModelServers {
  return {
    anthropic: null,
    openai: null,
    local: true,
    modelMap: new Map(),
    connectTimeoutMs: 2_000,
    idleTimeoutMs: 2_000,
    ...over,
  };
}

/**
 * The reference gateway's coding-plan routes over real HTTP, with the
 * app's handlers and deps a test can change between calls (model servers,
 * clock). `log` collects what the gateway logs. `via`: the app's route
 * handlers as Next serves them, or the decision server with the handlers it
 * serves (scripts/decision-server.ts), which write streamed answers straight
 * to the socket.
 */
export async function serveGateway(
  db: Db,
  url: string,
  init: Partial<GatewayDeps> = {},
  via: "app" | "decision server" = "app",
) {
  const lines: string[] = [];
  const deps: GatewayDeps = {
    ctx: ctxOf(db, url),
    now: async () => new Date(),
    leaseSeconds: 60,
    servers: servers(),
    log: (l) => lines.push(l),
    ...init,
  };
  const served =
    via === "app"
      ? await serveRoutes({
          "/api/anthropic/v1/messages": { POST: gatewayRoute("anthropic", (req) => anthropicMessages(deps, req)) },
          "/api/anthropic/v1/messages/count_tokens": {
            POST: gatewayRoute("anthropic", (req) => anthropicCountTokens(deps, req)),
          },
          "/api/coding/paas/v4/chat/completions": { POST: gatewayRoute("openai", (req) => openaiChat(deps, req)) },
        })
      : await serveDecisionServer(deps);
  return {
    ...served,
    deps,
    lines,
    anthropicBase: `${served.url}/api/anthropic`,
    openaiBase: `${served.url}/api/coding/paas/v4`,
  };
}

async function serveDecisionServer(deps: GatewayDeps) {
  const server = paths.createDecisionServer(
    { ctx: deps.ctx, secret: "s".repeat(40), now: deps.now, leaseSeconds: deps.leaseSeconds },
    deps.log,
    {
      [paths.ANTHROPIC_MESSAGES_PATH]: gatewayRoute("anthropic", (req) => anthropicMessagesAnswer(deps, req)),
      [paths.ANTHROPIC_COUNT_TOKENS_PATH]: gatewayRoute("anthropic", (req) => anthropicCountTokens(deps, req)),
      [paths.CODING_OPENAI_PATH]: gatewayRoute("openai", (req) => openaiChatAnswer(deps, req)),
    },
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
