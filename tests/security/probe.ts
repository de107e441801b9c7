import http from "node:http";

/** What one attack request came to, in the terms the verdicts judge. */
export type Answer = {
  status: number;
  /** Where a redirect points: the Location header, or the one Next passes for an action (`x-action-redirect`). */
  redirect: string | null;
  /** For a server action, the result's `ok`; "other" when the body carries none. */
  outcome?: "ok" | "refused" | "other";
  ms: number;
  note?: string;
};

export type Probe = {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | FormData | Uint8Array;
};

export async function send(base: string, p: Probe): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(base + p.path, {
    method: p.method,
    headers: p.headers,
    body: p.body as BodyInit | undefined,
    redirect: "manual",
  });
  const text = await res.text();
  return {
    status: res.status,
    redirect: res.headers.get("x-action-redirect") ?? res.headers.get("location"),
    outcome: outcomeOf(res.headers.get("content-type"), text),
    ms: Date.now() - started,
  };
}

/**
 * A refusal carried in the body: an action's `{ ok: false }`, or the compat
 * read-out wire's `{ "success": false, "code": 1001 }` that answers HTTP 200
 * as the upstream API does (COMPAT).
 */
function outcomeOf(type: string | null, text: string): Answer["outcome"] {
  if (type?.includes("text/x-component"))
    return /"ok":false/.test(text) ? "refused" : /"ok":true/.test(text) ? "ok" : "other";
  if (type?.includes("application/json") && /^\s*\{/.test(text)) {
    try {
      const body = JSON.parse(text) as { success?: unknown };
      if (body.success === false) return "refused";
    } catch {
      // Not JSON after all: judged by its status alone.
    }
  }
  return undefined;
}

const FIRST_PART = 2 * 1024 * 1024;
const PAUSE_MS = 1500;

/**
 * Streams `total` bytes of `chunk` repeats at the server and stops as soon as
 * it answers. `sentAtAnswer` tells whether it answered before reading the
 * whole body (SEC-3: credentials first, bounded bodies) or only after.
 */
export function sendOversized(
  base: string,
  p: Omit<Probe, "body">,
  total: number,
  timeoutMs = 20_000,
): Promise<Answer & { sentAtAnswer: number }> {
  const url = new URL(base + p.path);
  const chunk = Buffer.alloc(256 * 1024, "a");
  const started = Date.now();
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    const finish = (a: Answer & { sentAtAnswer: number }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(a);
    };
    const req = http.request(url, { method: p.method, headers: { ...p.headers, "content-length": String(total) } });
    const timer = setTimeout(
      () => finish({ status: 0, redirect: null, ms: Date.now() - started, sentAtAnswer: sent, note: "no answer" }),
      timeoutMs,
    );
    req.on("response", (res) => {
      res.resume();
      finish({
        status: res.statusCode ?? 0,
        redirect: res.headers.location ?? null,
        ms: Date.now() - started,
        sentAtAnswer: sent,
      });
    });
    // A server that answers and closes while the body is still coming resets the upload, and the client may see the
    // reset before it parses the answer: the raw bytes still tell the status when they arrived.
    let raw = "";
    req.on("socket", (socket) =>
      socket.on("data", (d: Buffer) => (raw += raw.length < 64 ? d.toString("latin1", 0, 64) : "")),
    );
    req.on("error", (e) =>
      setTimeout(() => {
        const status = Number(raw.match(/^HTTP\/1\.[01] (\d{3})/)?.[1] ?? 0);
        finish({
          status,
          redirect: null,
          ms: Date.now() - started,
          sentAtAnswer: sent,
          note: status ? undefined : `reset (${(e as NodeJS.ErrnoException).code ?? e.message})`,
        });
      }, 100),
    );
    // The first part, then a pause: a server that refuses before reading answers within it, while one that
    // reads first cannot (the body is not complete), so where the answer lands does not hang on how fast either side is.
    let paused = false;
    const pump = () => {
      while (!done && sent < total) {
        if (!paused && sent >= FIRST_PART) {
          paused = true;
          return void setTimeout(pump, PAUSE_MS);
        }
        const piece = sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent);
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

/** The server still answers its health check (after the oversized bodies). */
export async function healthy(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(10_000) })).ok;
  } catch {
    return false;
  }
}
