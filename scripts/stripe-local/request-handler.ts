import type { IncomingMessage, ServerResponse } from "node:http";
import { handleApi } from "./api-dispatch";
import { BodyTooLarge, sendJson } from "./http-io";
import { handleLocalControl } from "./local-controls";
import { createRouter } from "./router";
import { chargeRoutes } from "./routes/charges";
import { customerRoutes } from "./routes/customers";
import { disputeRoutes } from "./routes/disputes";
import { eventRoutes } from "./routes/events";
import { paymentIntentRoutes } from "./routes/payment-intents";
import { paymentMethodRoutes } from "./routes/payment-methods";
import { refundRoutes } from "./routes/refunds";
import { setupIntentRoutes } from "./routes/setup-intents";
import type { ServerDeps } from "./server-deps";
import { handleThreeDs } from "./three-ds-routes";
import { handleWallet } from "./wallet-routes";
import { API_VERSION } from "./stripe-objects";

/** The server's single entry: /v1 (Stripe API), /3ds (challenge pages), /_local (test controls). */
export function createRequestHandler(deps: ServerDeps) {
  const match = createRouter([
    ...customerRoutes,
    ...paymentMethodRoutes,
    ...setupIntentRoutes,
    ...paymentIntentRoutes,
    ...chargeRoutes,
    ...refundRoutes,
    ...disputeRoutes,
    ...eventRoutes,
  ]);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stripe-local");
    const path = url.pathname;
    if (path.startsWith("/v1/")) return handleApi(deps, match, req, res, url);
    if (path.startsWith("/_local/") && (await handleLocalControl(deps, req, res, path))) return;
    if (path.startsWith("/3ds/") && (await handleThreeDs(deps, req, res, path))) return;
    if (path.startsWith("/wallet/") && (await handleWallet(deps, req, res, path))) return;
    req.resume();
    sendJson(res, 404, {
      error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${path}).` },
    });
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof BodyTooLarge) {
        sendJson(res, 413, { error: { type: "invalid_request_error", message: "Request body too large." } });
        return;
      }
      deps.log(
        `internal error on ${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      // Stripe-Should-Retry: the SDK retries 5xx by default; a bug here will not go away on retry.
      sendJson(
        res,
        500,
        {
          error: {
            type: "api_error",
            message: `stripe-local failed to handle the request (API ${API_VERSION}); see its log.`,
          },
        },
        { "Stripe-Should-Retry": "false" },
      );
    });
  };
}
