import { randomUUID } from "node:crypto";
import { UpstreamError } from "./upstream";

/**
 * Wraps a reference-gateway handler: a failure of ours, or of the upstream
 * model server, answers in the caller's error shape (500 or 502) with no
 * stack trace; the detail goes to the server log.
 */
export function gatewayRoute(shape: "openai" | "anthropic", handler: (req: Request) => Promise<Response>) {
  return async (req: Request) => {
    try {
      return await handler(req);
    } catch (e) {
      console.error("gateway call failed", e);
      const status = e instanceof UpstreamError ? 502 : 500;
      const message = status === 502 ? "The model server did not answer. Please try again." : "Something went wrong on our side. Please try again.";
      return shape === "openai"
        ? Response.json({ error: { code: String(status), message } }, { status })
        : Response.json({ type: "error", error: { type: String(status), message }, request_id: `req_${randomUUID().replace(/-/g, "")}` }, { status });
    }
  };
}
