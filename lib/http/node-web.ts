import type http from "node:http";
import { Readable } from "node:stream";

/**
 * Bridges node:http and the Fetch API, so a route handler written for Next
 * (Request in, Response out) can also be served by a plain node:http server:
 * the decision server, and the tests' route server. A closed connection
 * aborts the request's signal. A body read already (`body`) is passed as it
 * is, which is cheaper than a stream; an answer that is an event stream is
 * streamed as it comes, any other is sent whole.
 */
export function webRequestOf(req: http.IncomingMessage, res: http.ServerResponse, base: string, body?: Buffer): Request {
  const abort = new AbortController();
  // Only a connection closed before the answer was sent aborts: an abort
  // builds a DOMException, which every finished request would otherwise pay for.
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: !hasBody ? undefined : body ?? (Readable.toWeb(req) as ReadableStream),
    signal: abort.signal,
    ...(hasBody && !body ? { duplex: "half" } : {}),
  } as RequestInit);
}

export async function sendWebResponse(res: http.ServerResponse, response: Response) {
  const headers = Object.fromEntries(response.headers);
  if (!response.body) return void res.writeHead(response.status, headers).end();
  if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    const whole = Buffer.from(await response.arrayBuffer());
    return void res.writeHead(response.status, { ...headers, "content-length": String(whole.length) }).end(whole);
  }
  res.writeHead(response.status, headers);
  Readable.fromWeb(response.body as never).pipe(res);
}
