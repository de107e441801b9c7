import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "./api-error";
import { expandFields } from "./expand";
import { parseForm } from "./form-body";
import { readBody, sendJson, sendText } from "./http-io";
import { findReplay, paramsHash, saveReplay } from "./idempotency";
import { lookupObject } from "./lookup-object";
import { base62 } from "./new-id";
import { expandPaths } from "./params";
import type { createRouter } from "./router";
import type { ServerDeps } from "./server-deps";
import { API_VERSION } from "./stripe-objects";

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The API key from `Bearer <key>`, or from Basic auth with the key as user name (`curl -u sk_test_…:`), as Stripe accepts. */
function apiKey(auth: string): string {
  const basic = /^Basic\s+(\S+)$/i.exec(auth);
  if (basic) return Buffer.from(basic[1], "base64").toString("utf8").split(":")[0];
  return auth.replace(/^Bearer\s+/i, "");
}

function checkAuth(req: IncomingMessage): ApiError | null {
  const auth = header(req, "authorization");
  if (!auth) {
    return new ApiError(401, {
      type: "invalid_request_error",
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  const key = apiKey(auth);
  // Test-mode secret keys only: this server must never look like it accepts a live key.
  if (!/^sk_test_\S+$/.test(key)) {
    return new ApiError(401, {
      type: "invalid_request_error",
      message: `Invalid API Key provided: ${key.slice(0, 8)}****`,
    });
  }
  return null;
}

/**
 * One /v1 request: key check, parameters (query and form body), the
 * Idempotency-Key replay, the handler, `expand[]`, then the state is written
 * before the answer leaves, so what a client saw is what a restart finds.
 */
export async function handleApi(
  deps: ServerDeps,
  match: ReturnType<typeof createRouter>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const requestId = `req_${base62(14)}`;
  const method = req.method ?? "GET";
  const path = url.pathname.replace(/\/$/, "");
  const key = method === "POST" ? header(req, "idempotency-key") : undefined;
  const headers: Record<string, string> = {
    "Request-Id": requestId,
    "Stripe-Version": header(req, "stripe-version") ?? API_VERSION,
    ...(key ? { "Idempotency-Key": key } : {}),
  };
  const authError = checkAuth(req);
  if (authError) {
    req.resume();
    sendJson(res, authError.status, { error: authError.body }, headers);
    return;
  }
  const body = method === "POST" || method === "DELETE" ? await readBody(req) : "";
  const params = { ...parseForm(url.search.slice(1)), ...parseForm(body) };

  try {
    const matched = match(method, path);
    if (!matched) {
      throw new ApiError(404, {
        type: "invalid_request_error",
        message: `Unrecognized request URL (${method}: ${path}). This local Stripe server implements only the endpoints CodePlan uses.`,
      });
    }
    const hash = paramsHash(params);
    if (key) {
      const replay = findReplay(deps.state, key, method, path, hash);
      if (replay) {
        sendText(res, replay.status, replay.body, {
          ...headers,
          "Content-Type": "application/json",
          "Idempotent-Replayed": "true",
        });
        return;
      }
    }
    const expand = expandPaths(params);
    const reply = matched.route.handler(
      deps.context({ id: requestId, idempotency_key: key ?? null }),
      params,
      matched.pathParams,
    );
    const out =
      reply.status === 200 ? expandFields(reply.body, expand, (id) => lookupObject(deps.state, id)) : reply.body;
    const text = JSON.stringify(out, null, 2);
    if (key)
      saveReplay(deps.state, key, {
        method,
        path,
        paramsHash: hash,
        status: reply.status,
        body: text,
        createdAt: Date.now(),
      });
    if (method !== "GET") deps.persist();
    sendText(res, reply.status, text, { ...headers, "Content-Type": "application/json" });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    sendJson(res, e.status, { error: e.body }, headers);
  }
}
