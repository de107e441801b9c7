import type http from "node:http";

/**
 * A streamed answer that a node:http server writes straight to its socket
 * (`writeTo`), without the Fetch API's Response and stream objects around
 * it, which cost the gateway's busiest path more than the call's own work;
 * `toResponse` gives the same answer as a Response, for Next and for tests
 * that call a handler directly. Only one of the two may be used.
 */
export class StreamedAnswer {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    private readonly write: (res: http.ServerResponse) => Promise<void>,
    private readonly stream: () => ReadableStream<Uint8Array>,
  ) {}

  /** Writes the answer, headers with `extra`, and ends it (or stops when the client goes away). */
  writeTo(res: http.ServerResponse, extra: Record<string, string> = {}): Promise<void> {
    res.writeHead(this.status, { ...this.headers, ...extra });
    return this.write(res);
  }

  toResponse(): Response {
    return new Response(this.stream(), { status: this.status, headers: this.headers });
  }
}

/** A handler's answer as a Response (what Next's routes return). */
export function asResponse(answer: Response | StreamedAnswer): Response {
  return answer instanceof StreamedAnswer ? answer.toResponse() : answer;
}
