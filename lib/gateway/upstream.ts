import { Agent, request } from "undici";
import type { ModelServer } from "./model-servers";
import { localModelServer } from "./local-model-server";
import type { Json, Wire } from "./wire";

/** The model server failed before or while answering (GATE-3): refused, timed out, or cut. */
export class UpstreamError extends Error {
  constructor(
    readonly kind: "unreachable" | "timeout" | "cut",
    message: string,
  ) {
    super(message);
  }
}

/** The client went away before the model server answered: nothing to answer, nobody to tell. */
export class ClientGone extends Error {}

/** A model server's answer as it arrives: its status and the pieces of its body. */
export type UpstreamCall = { status: number; body: AsyncIterable<Uint8Array>; abort: (reason?: unknown) => void };

/** Request headers that belong to the conversation between an Anthropic client and its model server. */
const ANTHROPIC_HEADERS = ["anthropic-version", "anthropic-beta"];

// undici's own client rather than fetch: the same library under fetch, without the WHATWG Request,
// Response and stream objects around every call (about 4× the forwarding rate in the gateway benchmark),
// and with the two timeouts GATE-3 needs built in. Connections to a model server are kept alive.
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 256 });

/**
 * POSTs a request body to a model server as its official SDK would (Anthropic:
 * `<base>/v1/messages` with `x-api-key`; OpenAI: `<base>/chat/completions`
 * with a bearer key), with the operator's key: the client's key is never
 * forwarded. The client's Anthropic headers go along when the call stays on
 * that wire. The answer must start within `connectTimeoutMs`, and a started
 * answer may pause at most `idleTimeoutMs` between pieces; `abort` ends the
 * call at any point (a client that went away).
 */
export async function sendToModelServer(
  target: ModelServer | "local",
  clientWire: Wire,
  body: Json,
  clientHeaders: Headers,
  signal: AbortSignal,
  timeouts: { connectTimeoutMs: number; idleTimeoutMs: number },
): Promise<UpstreamCall> {
  const controller = new AbortController();
  const abort = (reason?: unknown) => controller.abort(reason);
  if (signal.aborted) throw new ClientGone();
  signal.addEventListener("abort", () => abort(new ClientGone()), { once: true });
  if (target === "local") {
    const response = localModelServer(clientWire, body, controller.signal);
    return { status: response.status, body: response.body ? piecesOf(response.body) : emptyBody(), abort };
  }
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: body.stream === true ? "text/event-stream" : "application/json",
  };
  let url: string;
  if (target.wire === "anthropic") {
    url = `${target.url}/v1/messages`;
    if (target.apiKey) headers["x-api-key"] = target.apiKey;
    headers["anthropic-version"] = "2023-06-01";
    if (clientWire === "anthropic")
      for (const name of ANTHROPIC_HEADERS) {
        const value = clientHeaders.get(name);
        if (value) headers[name] = value;
      }
  } else {
    url = `${target.url}/chat/completions`;
    if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  }
  try {
    const res = await request(url, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: controller.signal,
      dispatcher: agent,
      headersTimeout: timeouts.connectTimeoutMs,
      bodyTimeout: timeouts.idleTimeoutMs,
    });
    return { status: res.statusCode, body: res.body, abort };
  } catch (e) {
    throw failureOf(e, signal, url);
  }
}

/** What went wrong while talking to the model server, in GATE-3's terms. */
export function failureOf(e: unknown, clientSignal: AbortSignal | null, url = "the model server"): Error {
  if (e instanceof UpstreamError || e instanceof ClientGone) return e;
  if (clientSignal?.aborted) return new ClientGone();
  const code = (e as { code?: string }).code ?? "";
  const message = e instanceof Error ? e.message : String(e);
  if (code.includes("TIMEOUT")) return new UpstreamError("timeout", `${url}: ${message}`);
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "UND_ERR_CONNECT_TIMEOUT")
    return new UpstreamError("unreachable", `${url}: ${message}`);
  return new UpstreamError("cut", `${url}: the answer broke off: ${message}`);
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}

async function* piecesOf(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
