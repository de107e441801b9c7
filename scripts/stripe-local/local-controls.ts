import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "./http-io";
import type { ServerDeps } from "./server-deps";

/**
 * Test controls under /_local/ (not Stripe API; JSON in and out, no key):
 *   GET  /_local/health
 *   POST /_local/webhooks/config      { paused?: boolean, duplicate?: boolean }
 *   POST /_local/webhooks/flush       { order?: "forward" | "reverse" }
 *   GET  /_local/webhooks/deliveries
 */

function badRequest(res: ServerResponse, message: string): void {
  sendJson(res, 400, { error: { type: "invalid_request_error", message } });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const text = await readBody(req);
  if (!text.trim()) return {};
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function optionalBoolean(v: unknown): v is boolean | undefined {
  return v === undefined || typeof v === "boolean";
}

/** Returns false when `path` is not a control endpoint. */
export async function handleLocalControl(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  const w = deps.state.webhooks;
  const route = `${req.method} ${path.replace(/\/$/, "")}`;
  switch (route) {
    case "GET /_local/health":
      sendJson(res, 200, { ok: true });
      return true;
    case "GET /_local/webhooks/deliveries":
      sendJson(res, 200, {
        data: w.log,
        pending: w.pending.length,
        held: w.held.length,
        paused: w.paused,
        duplicate: w.duplicate,
      });
      return true;
    case "POST /_local/webhooks/config": {
      const body = await readJson(req);
      if (!body || !optionalBoolean(body.paused) || !optionalBoolean(body.duplicate)) {
        badRequest(res, "Expected a JSON object { paused?: boolean, duplicate?: boolean }.");
        return true;
      }
      await deps.deliverer.configure({ paused: body.paused, duplicate: body.duplicate });
      sendJson(res, 200, { paused: w.paused, duplicate: w.duplicate });
      return true;
    }
    case "POST /_local/webhooks/flush": {
      const body = await readJson(req);
      const order = body?.order ?? "forward";
      if (!body || (order !== "forward" && order !== "reverse")) {
        badRequest(res, 'Expected a JSON object { order?: "forward" | "reverse" }.');
        return true;
      }
      const flushed = await deps.deliverer.flush(order);
      sendJson(res, 200, { flushed });
      return true;
    }
    default:
      return false;
  }
}
