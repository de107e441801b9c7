import http from "node:http";
import { BodyTooLarge } from "../http/bounded-body";
import { bufferedRequestOf, sendWebResponse } from "../http/node-web";
import { stampClientAddress } from "../http/client-address";
import { StreamedAnswer } from "../http/streamed-answer";
import { isDatabaseUnavailable } from "../db/unavailable";
import { sendOutage } from "../http/outage-gate";
import { WEBHOOK_BODY_LIMIT } from "../payments/webhooks/endpoint";
import { BodyReader } from "./body-reader";
import { DECISION_BODY_LIMIT, decisionApi, secretRefusal, tooLargeAnswer, type DecisionDeps } from "./decision-api";
import { MAX_MODEL_BODY } from "./model-request";

const PREFIX = "/api/gateway/v1/";

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
  [STRIPE_WEBHOOK_PATH]: WEBHOOK_BODY_LIMIT,
};

/** Route handlers written for Next (Request in, Response out), served here too, by path (GET for the model list, POST for the rest). */
export type WebRoutes = Partial<Record<keyof typeof BODY_LIMITS, (req: Request) => Promise<Response | StreamedAnswer>>>;

/**
 * The decision API on a plain node:http server: the gateway asks before
 * every prompt, and Next's request pipeline costs more than the decision
 * itself (README, "Measured"). Same handler as the Next route, same answers.
 * It also serves, for the same reason, the busiest routes that callers other
 * than a browser call (`routes`): the coding-plan and pay-as-you-go model
 * endpoints and Stripe's webhook, with the very handlers of their app routes.
 * SEC-3: credentials come before the body. The decision API checks the
 * secret before reading a byte; a route's handler gets a request whose body
 * is read (bounded) only when it asks, which it does after checking the key
 * or the signature header. A body over the bound is refused unread.
 */
export function createDecisionServer(
  deps: DecisionDeps,
  log: (line: string) => void,
  routes: WebRoutes = {},
  network: {
    trustedProxyHops: number;
    gate?: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;
  } = { trustedProxyHops: 0 },
): http.Server {
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // SEC-2: the caller's network from the socket (and trusted proxies), before any handler reads it.
    stampClientAddress(req, network.trustedProxyHops);
    const body = new BodyReader(req);
    const send = (status: number, answer: unknown) => {
      const text = JSON.stringify(answer);
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
        ...body.closeHeader(),
      });
      res.end(text);
      body.dropRest();
    };
    const path = req.url?.split("?")[0] ?? "";
    // Own properties only: a path named like one of Object's (`constructor`) is no route.
    const route =
      Object.hasOwn(routes, path) && req.method === (path === CODING_MODELS_PATH ? "GET" : "POST")
        ? routes[path as keyof WebRoutes]
        : undefined;
    if (route) {
      const limit = BODY_LIMITS[path as keyof WebRoutes];
      route(bufferedRequestOf(req, res, "http://localhost", () => body.read(limit)))
        .then((answer) =>
          answer instanceof StreamedAnswer
            ? answer.writeTo(res, body.closeHeader())
            : sendWebResponse(res, answer, body.closeHeader()),
        )
        .then(() => body.dropRest())
        .catch((e) => {
          // REL-3: the database went away mid-request: 503 with Retry-After in the caller's shape, not a 500.
          if (isDatabaseUnavailable(e)) return sendOutage(req, res);
          log(`${path} failed: ${e instanceof Error ? e.stack : e}`);
          if (!res.headersSent)
            send(500, { error: { code: "500", message: "Something went wrong on our side. Please try again." } });
        });
      return;
    }
    if (req.method === "GET" && path === "/health") return send(200, { status: "ok" });
    if (req.method !== "POST" || !path.startsWith(PREFIX))
      return send(404, { error: { code: "404", message: "No such endpoint." } });
    const acceptLanguage = req.headers["accept-language"] ?? null;
    const authorization = req.headers.authorization ?? null;
    const refused = secretRefusal(deps, authorization);
    if (refused) return send(refused.status, refused.body);
    body.read(DECISION_BODY_LIMIT).then(
      (raw) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw.toString("utf8"));
        } catch {
          parsed = undefined;
        }
        decisionApi(deps, { op: path.slice(PREFIX.length), body: parsed, authorization, acceptLanguage }).then(
          (a) => send(a.status, a.body),
          (e) => {
            if (isDatabaseUnavailable(e)) return sendOutage(req, res);
            log(`decision failed: ${e instanceof Error ? e.stack : e}`);
            send(500, { error: { code: "500", message: "Something went wrong on our side. Please try again." } });
          },
        );
      },
      (e) => {
        if (!(e instanceof BodyTooLarge)) return void req.destroy();
        const answer = tooLargeAnswer(acceptLanguage);
        send(answer.status, answer.body);
      },
    );
  };
  const { gate } = network;
  const server = http.createServer((req, res) => {
    if (!gate) return serve(req, res);
    gate(req, res).then(
      (answered) => answered || serve(req, res),
      () => sendOutage(req, res),
    );
  });
  // The gateway keeps connections open between decisions.
  server.keepAliveTimeout = 65_000;
  return server;
}
