import http from "node:http";
import https from "node:https";

export type PostResult = { status: number } | { error: string };

/**
 * POSTs one webhook body. Resolves (never rejects) with the receiver's status
 * or the network error; `signal` lets shutdown abandon a slow receiver.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; signal: AbortSignal },
): Promise<PostResult> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    const req = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": Buffer.byteLength(body).toString() },
        timeout: opts.timeoutMs,
        signal: opts.signal,
        // A fresh connection per attempt, as Stripe does: no shared pool to serialise behind.
        agent: false,
      },
      (res) => {
        res.resume(); // the body is not used; drain it so the socket closes
        res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
        res.on("error", (e) => resolve({ error: e.message }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)));
    req.on("error", (e) => resolve({ error: e.message }));
    req.end(body);
  });
}
