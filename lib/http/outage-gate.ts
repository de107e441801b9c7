import type http from "node:http";
import type { DatabaseHealth } from "../db/health";
import { outageAnswer } from "./outage-answer";

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

/** The same answer as a fetch Response, for handlers that catch a database failure mid-request. */
export function outageResponse(req: Request): Response {
  const a = outageAnswer(new URL(req.url).pathname, req.headers.get("accept-language"), req.headers.get("cookie"));
  return new Response(a.body, { status: a.status, headers: a.headers });
}
