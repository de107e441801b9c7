import http from "node:http";

const PIECE = Buffer.alloc(64 * 1024, 0x20);

export type Shot = { status: number; body: string; ms: number; rssGrowth: number };

/**
 * POSTs `size` bytes of spaces to `url` without holding them (one 64 KB piece
 * written again and again, as the socket drains), declared up front or
 * chunked, and stops writing as soon as an answer arrives. Measures how long
 * the answer took and how far this process's resident memory rose meanwhile
 * (the server under test runs in this process). Status 0: the connection was
 * closed without an answer.
 */
export function fireBigBody(
  url: string,
  opts: { size: number; chunked?: boolean; headers?: Record<string, string> },
): Promise<Shot> {
  const started = Date.now();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  return new Promise<Shot>((resolve) => {
    let answered = false;
    const finish = (status: number, body: string) => {
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      resolve({ status, body, ms: Date.now() - started, rssGrowth: peak - baseline });
    };
    const headers = {
      "content-type": "application/json",
      ...(opts.chunked ? {} : { "content-length": String(opts.size) }),
      ...opts.headers,
    };
    const req = http.request(url, { method: "POST", headers }, (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c)).on("end", () => (finish(res.statusCode ?? 0, body), req.destroy()));
      res.on("error", () => finish(res.statusCode ?? 0, body));
    });
    req.on("error", () => {
      if (!answered) finish(0, "");
    });
    let sent = 0;
    const write = () => {
      while (!answered && sent < opts.size) {
        const piece = PIECE.subarray(0, Math.min(PIECE.length, opts.size - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once("drain", write);
      }
      if (!answered) req.end();
    };
    write();
  });
}
