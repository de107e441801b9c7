import type http from "node:http";
import { Readable } from "node:stream";

/**
 * Bridges node:http and the Fetch API, so a route handler written for Next
 * (Request in, Response out) can also be served by a plain node:http server:
 * the decision server, and the tests' route server. A closed connection
 * aborts the request's signal; the response body is streamed as it comes.
 */
export function webRequestOf(req: http.IncomingMessage, res: http.ServerResponse, base: string): Request {
  const abort = new AbortController();
  res.on("close", () => abort.abort());
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    signal: abort.signal,
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

export function sendWebResponse(res: http.ServerResponse, response: Response) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) return void res.end();
  Readable.fromWeb(response.body as never).pipe(res);
}
