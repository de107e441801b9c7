import http from "node:http";
import type { AddressInfo } from "node:net";
import { isJsonObject, type Json, type Wire } from "../../lib/gateway/wire";
import { scripted, type Answer } from "./model-server-answer";
import { anthropicError, anthropicEvents, anthropicMessage } from "./model-server-anthropic";
import { openaiChunks, openaiCompletion, openaiError } from "./model-server-openai";

export type { Answer, ScriptUsage } from "./model-server-answer";
export { DEFAULT_USAGE } from "./model-server-answer";

/**
 * How the scripted model answers one request:
 * - an answer (text or a tool call), optionally after `delayMs` (nothing, not
 *   even the headers, is sent before), optionally cut: `cutAfterEvents: n`
 *   sends the headers and n whole events, then destroys the socket (for a
 *   non-streamed request: the headers and half the JSON);
 * - `{ status, body? }`: an error answer, by default in the wire's error shape;
 * - `{ hang: true }`: takes the request and never answers.
 */
export type Reply =
  | (Answer & { delayMs?: number; cutAfterEvents?: number; gapMs?: number })
  | { status: number; body?: Json; delayMs?: number }
  | { hang: true };

export type SeenRequest = {
  wire: Wire;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
};

export type Script = (req: SeenRequest) => Reply;

export type ModelServer = {
  url: string;
  /** Every request that reached a model endpoint, in arrival order. */
  seen: SeenRequest[];
  /** Replaces the script for the requests that follow. */
  script: (fn: Script) => void;
  close: () => Promise<void>;
};

export const DEFAULT_TEXT = "Hello from the scripted model server.";

function wireOf(pathname: string): Wire | null {
  if (pathname === "/v1/messages") return "anthropic";
  if (pathname === "/v1/chat/completions" || pathname === "/chat/completions") return "openai";
  return null;
}

async function readBody(req: http.IncomingMessage): Promise<Json | null> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    return isJsonObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Writes and waits until the socket took it, so a cut right after loses none of it. */
const write = (res: http.ServerResponse, text: string) =>
  new Promise<void>((resolve) => res.write(text, () => resolve()));

/**
 * A real HTTP model server on 127.0.0.1 for the gateway's integration tests:
 * Anthropic's wire at POST /v1/messages (any query), OpenAI's at POST
 * /v1/chat/completions and /chat/completions. It records each request and
 * answers as the script says, in the request's wire, streamed when the body
 * asks for `stream: true`.
 */
export async function startModelServer(initial: Script = () => ({ text: DEFAULT_TEXT })): Promise<ModelServer> {
  let current = initial;
  const seen: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) => new Promise<void>((r) => timers.add(setTimeout(r, ms)));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = req.url ?? "/";
    const wire = wireOf(new URL(path, "http://model.test").pathname);
    const body = await readBody(req);
    if (req.method !== "POST" || !wire)
      return void res
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
    const requestId = `req_${seen.length + 1}`;
    const json = (status: number, payload: Json) =>
      res
        .writeHead(status, {
          "content-type": "application/json",
          [wire === "anthropic" ? "request-id" : "x-request-id"]: requestId,
        })
        .end(JSON.stringify(payload));
    if (!body) return void json(400, wire === "anthropic" ? anthropicError(400, requestId) : openaiError(400));
    const request: SeenRequest = { wire, path, headers: req.headers, body };
    seen.push(request);
    const reply = current(request);
    if ("hang" in reply) return;
    if (reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed) return;
    if ("status" in reply)
      return void json(
        reply.status,
        reply.body ?? (wire === "anthropic" ? anthropicError(reply.status, requestId) : openaiError(reply.status)),
      );
    const answer = scripted(wire, reply, typeof body.model === "string" ? body.model : "");
    const cut = reply.cutAfterEvents;
    if (body.stream !== true) {
      const payload = wire === "anthropic" ? anthropicMessage(answer) : openaiCompletion(answer);
      if (cut === undefined) return void json(200, payload);
      const text = JSON.stringify(payload);
      res.writeHead(200, { "content-type": "application/json" });
      await write(res, text.slice(0, text.length >> 1));
      return void res.destroy();
    }
    const includeUsage = isJsonObject(body.stream_options) && body.stream_options.include_usage === true;
    const events = wire === "anthropic" ? anthropicEvents(answer) : openaiChunks(answer, includeUsage);
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      [wire === "anthropic" ? "request-id" : "x-request-id"]: requestId,
    });
    res.flushHeaders();
    for (const [i, event] of events.entries()) {
      if (i === cut) return void res.destroy();
      if (res.destroyed) return;
      await write(res, event);
      // One event per turn of the event loop, so readers see it arrive in pieces (or `gapMs` apart: a slow answer).
      await (reply.gapMs ? sleep(reply.gapMs) : new Promise((r) => setImmediate(r)));
    }
    if (cut !== undefined && cut >= events.length) return void res.destroy();
    res.end();
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    script: (fn) => void (current = fn),
    close: () =>
      new Promise((r) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
