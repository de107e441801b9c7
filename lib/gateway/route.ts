import type { StreamedAnswer } from "../http/streamed-answer";
import { isDatabaseUnavailable } from "../db/unavailable";
import { outageResponse } from "../http/outage-gate";
import type { Wire } from "./wire";
import { anthropicRequestId } from "./wire-errors";

/**
 * Wraps a reference-gateway handler: a failure of ours answers in the
 * caller's error shape with a 500 (a 503 with Retry-After when the database
 * is unavailable, REL-3) and no stack trace; the detail goes to the
 * server log. (The model server's failures are answered where they happen,
 * model-call.ts, as GATE-3 says.)
 */
export function gatewayRoute<A extends Response | StreamedAnswer>(shape: Wire, handler: (req: Request) => Promise<A>) {
  return async (req: Request): Promise<A | Response> => {
    try {
      return await handler(req);
    } catch (e) {
      // REL-3: the database is down or restarting: 503 with Retry-After in the wire's shape, so the client retries.
      if (isDatabaseUnavailable(e)) return outageResponse(req);
      console.error("gateway call failed", e);
      const message = "Something went wrong on our side. Please try again.";
      return shape === "openai"
        ? Response.json({ error: { code: "500", message } }, { status: 500 })
        : Response.json(
            { type: "error", error: { type: "api_error", message }, request_id: anthropicRequestId() },
            { status: 500 },
          );
    }
  };
}
