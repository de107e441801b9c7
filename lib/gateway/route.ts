import type { StreamedAnswer } from "../http/streamed-answer";
import type { Wire } from "./wire";
import { anthropicRequestId } from "./wire-errors";

/**
 * Wraps a reference-gateway handler: a failure of ours answers in the
 * caller's error shape with a 500 and no stack trace; the detail goes to the
 * server log. (The model server's failures are answered where they happen,
 * model-call.ts, as GATE-3 says.)
 */
export function gatewayRoute<A extends Response | StreamedAnswer>(shape: Wire, handler: (req: Request) => Promise<A>) {
  return async (req: Request): Promise<A | Response> => {
    try {
      return await handler(req);
    } catch (e) {
      console.error("gateway call failed", e);
      const message = "Something went wrong on our side. Please try again.";
      return shape === "openai"
        ? Response.json({ error: { code: "500", message } }, { status: 500 })
        : Response.json({ type: "error", error: { type: "api_error", message }, request_id: anthropicRequestId() }, { status: 500 });
    }
  };
}
