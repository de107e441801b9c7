import type http from "node:http";
import { Readable } from "node:stream";

/**
 * Bridges node:http and the Fetch API, so a route handler written for Next
 * (Request in, Response out) can also be served by a plain node:http server:
 * the tests' route server (webRequestOf) and the decision server
 * (bufferedRequestOf). A connection closed before the answer aborts the
 * request's signal. An answer that is an event stream is streamed as it
 * comes, any other is sent whole.
 */
export function webRequestOf(req: http.IncomingMessage, res: http.ServerResponse, base: string): Request {
  const abort = abortOnEarlyClose(res);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", base), {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: hasBody ? pulledBody(req) : undefined,
    signal: abort.signal,
    ...(hasBody ? { duplex: "half" } : {}),
  } as RequestInit);
}

/**
 * The request's body as a web stream that reads from the socket only as the
 * handler reads (highWaterMark 0). Readable.toWeb on Node 20 keeps reading
 * whatever the consumer does, so a handler that refuses a stranger without
 * touching the body still had the whole body buffered under it; node:http
 * throws away what is left unread once the answer has gone.
 */
function pulledBody(req: Readable): ReadableStream<Uint8Array> {
  const chunks = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value as Buffer));
      },
      cancel() {
        req.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A Request whose body is read whole when the handler first asks for it
 * (`read`, which bounds it: SEC-3, so a handler that checks the caller's key
 * first reads nothing for a stranger), without undici's Request, whose
 * constructor and body stream cost more than a pay-as-you-go call's own work
 * on the decision server (README, "Measured"). It has what route handlers
 * read: method, url, headers, signal, and the body, once, as text, JSON or
 * bytes. For the decision server's routes; anything else gets webRequestOf.
 */
export function bufferedRequestOf(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  base: string,
  read: () => Promise<Buffer>,
): Request {
  const abort = abortOnEarlyClose(res);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  let used = false;
  const take = async () => {
    if (used) throw new TypeError("Body is unusable: Body has already been read");
    used = true;
    return read();
  };
  const request = {
    method: req.method ?? "GET",
    url: new URL(req.url ?? "/", base).toString(),
    headers,
    signal: abort.signal,
    get bodyUsed() {
      return used;
    },
    text: async () => (await take()).toString("utf8"),
    json: async () => JSON.parse((await take()).toString("utf8")),
    arrayBuffer: async () => {
      const b = await take();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    },
  };
  return request as unknown as Request;
}

/** Only a connection closed before the answer was sent aborts: an abort builds a DOMException, which every finished request would otherwise pay for. */
function abortOnEarlyClose(res: http.ServerResponse): AbortController {
  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  return abort;
}

/** Sends a Response on a node:http answer, with `extra` headers (the decision server's `connection: close`). */
export async function sendWebResponse(
  res: http.ServerResponse,
  response: Response,
  extra: Record<string, string> = {},
) {
  const headers = { ...Object.fromEntries(response.headers), ...extra };
  if (!response.body) return void res.writeHead(response.status, headers).end();
  if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    const whole = Buffer.from(await response.arrayBuffer());
    return void res.writeHead(response.status, { ...headers, "content-length": String(whole.length) }).end(whole);
  }
  res.writeHead(response.status, headers);
  Readable.fromWeb(response.body as never).pipe(res);
}
