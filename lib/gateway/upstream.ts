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

export type UpstreamCall = { response: Response; abort: (reason?: unknown) => void };

/** Request headers that belong to the conversation between an Anthropic client and its model server. */
const ANTHROPIC_HEADERS = ["anthropic-version", "anthropic-beta"];

/**
 * POSTs a request body to a model server as its official SDK would (Anthropic:
 * `<base>/v1/messages` with `x-api-key`; OpenAI: `<base>/chat/completions`
 * with a bearer key), with the operator's key: the client's key is never
 * forwarded. The client's Anthropic headers go along when the call stays on
 * that wire. Waits at most `connectTimeoutMs` for the answer to start;
 * `abort` ends the call at any point after (a client that went away, an
 * idle stream).
 */
export async function sendToModelServer(
  target: ModelServer | "local",
  clientWire: Wire,
  body: Json,
  clientHeaders: Headers,
  signal: AbortSignal,
  connectTimeoutMs: number,
): Promise<UpstreamCall> {
  const controller = new AbortController();
  const abort = (reason?: unknown) => controller.abort(reason);
  if (signal.aborted) abort(signal.reason);
  else signal.addEventListener("abort", () => abort(signal.reason), { once: true });
  if (target === "local") return { response: localModelServer(clientWire, body, controller.signal), abort };
  const headers: Record<string, string> = { "content-type": "application/json", accept: body.stream === true ? "text/event-stream" : "application/json" };
  let url: string;
  if (target.wire === "anthropic") {
    url = `${target.url}/v1/messages`;
    if (target.apiKey) headers["x-api-key"] = target.apiKey;
    headers["anthropic-version"] = "2023-06-01";
    if (clientWire === "anthropic") for (const name of ANTHROPIC_HEADERS) {
      const value = clientHeaders.get(name);
      if (value) headers[name] = value;
    }
  } else {
    url = `${target.url}/chat/completions`;
    if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  }
  const timer = setTimeout(() => abort(new UpstreamError("timeout", `no answer from ${url} within ${connectTimeoutMs} ms`)), connectTimeoutMs);
  try {
    const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(body), signal: controller.signal });
    return { response, abort };
  } catch (e) {
    const reason: unknown = controller.signal.reason;
    if (reason instanceof UpstreamError) throw reason;
    if (signal.aborted) throw new ClientGone(); // not the model server's failure
    throw new UpstreamError("unreachable", `${url} unreachable: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : e}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The next chunk of a model server's answer, within the idle timeout: a
 * stream that stalls is aborted and counts as cut (GATE-3).
 */
export async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleMs: number,
  abort: (reason?: unknown) => void,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const e = new UpstreamError("timeout", `the model server sent nothing for ${idleMs} ms`);
      abort(e);
      reject(e);
    }, idleMs);
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } catch (e) {
    if (e instanceof UpstreamError) throw e;
    throw new UpstreamError("cut", `the model server's answer broke off: ${e instanceof Error ? e.message : e}`);
  } finally {
    clearTimeout(timer);
  }
}
