import http from "node:http";
import { bufferedRequestOf, sendWebResponse } from "../http/node-web";
import { stampClientAddress } from "../http/client-address";
import { decisionApi, type DecisionDeps } from "./decision-api";
import { MAX_MODEL_BODY } from "./model-request";

const PREFIX = "/api/gateway/v1/";
const MAX_BODY = 64 * 1024;

/** The general API (BILL-1, BILL-3), served here as on the app's port. */
export const PAYG_PATH = "/api/paas/v4/chat/completions";
/** The coding-plan model routes (GATE-1), served here as on the app's port, so model traffic can be put on this port. */
export const CODING_OPENAI_PATH = "/api/coding/paas/v4/chat/completions";
export const CODING_MODELS_PATH = "/api/coding/paas/v4/models";
export const ANTHROPIC_MESSAGES_PATH = "/api/anthropic/v1/messages";
export const ANTHROPIC_COUNT_TOKENS_PATH = "/api/anthropic/v1/messages/count_tokens";
/** Stripe's webhook (PAY-2), served here as on the app's port. */
export const STRIPE_WEBHOOK_PATH = "/api/stripe/webhook";

const BODY_LIMITS = {
  [PAYG_PATH]: MAX_MODEL_BODY,
  [CODING_OPENAI_PATH]: MAX_MODEL_BODY,
  [CODING_MODELS_PATH]: 0,
  [ANTHROPIC_MESSAGES_PATH]: MAX_MODEL_BODY,
  [ANTHROPIC_COUNT_TOKENS_PATH]: MAX_MODEL_BODY,
  [STRIPE_WEBHOOK_PATH]: MAX_BODY * 4,
};

/** Route handlers written for Next (Request in, Response out), served here too, by path (GET for the model list, POST for the rest). */
export type WebRoutes = Partial<Record<keyof typeof BODY_LIMITS, (req: Request) => Promise<Response>>>;

/**
 * The decision API on a plain node:http server: the gateway asks before
 * every prompt, and Next's request pipeline costs more than the decision
 * itself (README, "Measured"). Same handler as the Next route, same answers.
 * It also serves, for the same reason, the busiest routes that callers other
 * than a browser call (`routes`): the coding-plan and pay-as-you-go model
 * endpoints and Stripe's webhook, with the very handlers of their app routes.
 */
export function createDecisionServer(
  deps: DecisionDeps,
  log: (line: string) => void,
  routes: WebRoutes = {},
  network: { trustedProxyHops: number } = { trustedProxyHops: 0 },
): http.Server {
  const server = http.createServer((req, res) => {
    // SEC-2: the caller's network from the socket (and trusted proxies), before any handler reads it.
    stampClientAddress(req, network.trustedProxyHops);
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...(status === 413 ? { connection: "close" } : {}) });
      res.end(text);
    };
    const path = req.url?.split("?")[0] as keyof WebRoutes;
    const route = req.method === (path === CODING_MODELS_PATH ? "GET" : "POST") ? routes[path] : undefined;
    if (route) {
      // An oversized body gets the refusal its caller's wire reads (the Anthropic route answers as Anthropic does).
      const tooLarge = path.startsWith("/api/anthropic/") ? ANTHROPIC_TOO_LARGE : TOO_LARGE;
      readBody(req, BODY_LIMITS[path], send, (body) =>
        route(bufferedRequestOf(req, res, "http://localhost", body))
          .then((response) => sendWebResponse(res, response))
          .catch((e) => {
            log(`${path} failed: ${e instanceof Error ? e.stack : e}`);
            if (!res.headersSent) send(500, { error: { code: "500", message: "Something went wrong on our side. Please try again." } });
          }),
        tooLarge,
      );
      return;
    }
    if (req.method === "GET" && req.url === "/health") return send(200, { status: "ok" });
    if (req.method !== "POST" || !req.url?.startsWith(PREFIX)) return send(404, { error: { code: "404", message: "No such endpoint." } });
    readBody(req, MAX_BODY, send, (raw) => {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        body = undefined;
      }
      decisionApi(deps, {
        op: req.url!.slice(PREFIX.length).split("?")[0],
        body,
        authorization: req.headers.authorization ?? null,
        acceptLanguage: req.headers["accept-language"] ?? null,
      }).then(
        (a) => send(a.status, a.body),
        (e) => {
          log(`decision failed: ${e instanceof Error ? e.stack : e}`);
          send(500, { error: { code: "500", message: "Something went wrong on our side. Please try again." } });
        },
      );
    });
  });
  // The gateway keeps connections open between decisions.
  server.keepAliveTimeout = 65_000;
  return server;
}

const TOO_LARGE = { error: { code: "1210", message: "The request body is too large." } };
const ANTHROPIC_TOO_LARGE = { type: "error", error: { type: "request_too_large", message: "The request body is too large." } };

/** Reads a request's body whole, up to `limit` bytes: beyond it, answers 413 and closes the connection. */
function readBody(req: http.IncomingMessage, limit: number, send: (status: number, body: unknown) => void, done: (body: Buffer) => void, tooLarge: unknown = TOO_LARGE) {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  req.on("data", (c: Buffer) => {
    size += c.length;
    if (size <= limit) return void chunks.push(c);
    if (refused) return;
    refused = true;
    send(413, tooLarge);
    // The rest is read and dropped, so the client gets to read the 413 (a connection closed under a sender
    // still writing is a reset to it); a sender that keeps going past a second is cut off.
    chunks.length = 0;
    req.removeAllListeners("data");
    req.resume();
    setTimeout(() => req.destroy(), 1000).unref();
  });
  req.on("end", () => {
    if (!refused) done(Buffer.concat(chunks));
  });
}
