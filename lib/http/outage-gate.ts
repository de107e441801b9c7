import type http from "node:http";
import type { DatabaseHealth } from "../db/health";
import { callerOf, outageAnswer } from "./outage-answer";

/**
 * REL-3: in front of every request of the web app and the decision server.
 * While the database is known to be down, a request waits at most `waitMs`
 * for it to come back (a restart blip is served normally) and is otherwise
 * answered 503 with Retry-After in its caller's shape, without touching a
 * handler: nothing is half-done and nothing hangs. Static assets need no
 * database and pass.
 */
export function outageGate(health: DatabaseHealth, waitMs: number) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
    if (health.isUp()) return false;
    const path = req.url?.split("?")[0] ?? "/";
    if (path.startsWith("/_next/static/") || path === "/favicon.ico" || path === "/robots.txt") return false;
    if (await health.whenUp(waitMs)) return false;
    sendOutage(req, res);
    return true;
  };
}

export function sendOutage(req: http.IncomingMessage, res: http.ServerResponse) {
  const path = req.url?.split("?")[0] ?? "/";
  const a = outageAnswer(path, req.headers["accept-language"], req.headers.cookie);
  if (res.headersSent) return void res.destroy();
  res.writeHead(a.status, { ...a.headers, "content-length": Buffer.byteLength(a.body) });
  res.end(a.body);
}

/**
 * REL-3: a screen whose rendering failed because the database went away while
 * it rendered (the gate let it in a moment before) is answered as the gate
 * would have answered it: 503 with Retry-After and the outage page in the
 * viewer's language, rather than the framework's 500 "something went wrong",
 * which tells the viewer nothing and invites no retry. Decided where the
 * status is written: a 5xx while the database is known to be down. A page
 * whose first bytes had already gone out (a streamed part failing later)
 * keeps them: its own error boundary shows there.
 */
export function outageForFailedPage(
  health: Pick<DatabaseHealth, "isUp">,
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  if (callerOf(req.url?.split("?")[0] ?? "/") !== "page") return;
  const { writeHead, write, end } = res;
  let replaced = false;
  const replaces = (status: number) => {
    if (replaced) return true;
    if (res.headersSent || status < 500 || health.isUp()) return false;
    replaced = true;
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    const a = outageAnswer(req.url?.split("?")[0] ?? "/", req.headers["accept-language"], req.headers.cookie);
    writeHead.call(res, a.status, { ...a.headers, "content-length": Buffer.byteLength(a.body) });
    (end as (chunk: string) => http.ServerResponse).call(res, a.body);
    return true;
  };
  // Node writes implicit headers from inside write/end, so all three are watched; what the framework writes after
  // the replacement is dropped.
  res.writeHead = function (this: http.ServerResponse, status: number, ...rest: unknown[]) {
    if (replaces(status)) return this;
    return (writeHead as (...a: unknown[]) => http.ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
  res.write = function (this: http.ServerResponse, ...args: unknown[]) {
    if (replaces(this.statusCode)) return true;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof res.write;
  res.end = function (this: http.ServerResponse, ...args: unknown[]) {
    if (replaces(this.statusCode)) return this;
    return (end as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof res.end;
}

/** The same answer as a fetch Response, for handlers that catch a database failure mid-request. */
export function outageResponse(req: Request): Response {
  const a = outageAnswer(new URL(req.url).pathname, req.headers.get("accept-language"), req.headers.get("cookie"));
  return new Response(a.body, { status: a.status, headers: a.headers });
}
