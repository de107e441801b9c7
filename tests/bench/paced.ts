import http from "node:http";

export type Paced = { answered: number; failed: number; p50: number; p99: number };

/**
 * An open-loop load: `rate` requests a second over at most `connections`
 * keep-alive connections for `seconds`, each request sent at its own time
 * whether the ones before it have been answered or not, and its latency taken
 * from when it was handed to the client: a request waiting for a free
 * connection counts its wait (no coordinated omission), and the timer's own
 * lateness, the same for every server, is left out. wrk and autocannon keep
 * every connection busy (closed loop), where latency is the connections ÷ the
 * rate the server sustains, a measure of throughput; this one measures what a
 * call costs when the machine is not saturated. Latencies to the microsecond
 * (autocannon's are whole milliseconds). The first `warmup` seconds open the
 * connections and are answered but not timed. `request(k)` gives the k-th
 * body and headers; `answer` sees each status and body.
 */
export async function pacedLoad(input: {
  url: string;
  connections: number;
  rate: number;
  seconds: number;
  warmup: number;
  request: (k: number) => { headers: Record<string, string>; body: string };
  answer?: (status: number, body: string) => void;
}): Promise<Paced> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: input.connections });
  const url = new URL(input.url);
  const latencies: number[] = [];
  let failed = 0;
  const timed = Math.round(input.rate * input.warmup);
  const total = timed + Math.round(input.rate * input.seconds);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  const send = (k: number) =>
    new Promise<void>((resolve) => {
      const { headers, body } = input.request(k);
      const sent = performance.now();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: "POST",
          agent,
          headers: { ...headers, "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            if (k >= timed) latencies.push(performance.now() - sent);
            if (res.statusCode !== 200 && k >= timed) failed++;
            input.answer?.(res.statusCode ?? 0, Buffer.concat(chunks).toString());
            resolve();
          });
        },
      );
      req.on("error", () => {
        if (k >= timed) failed++;
        resolve();
      });
      req.end(body);
    });
  // A 1 ms tick sends every request whose time has come (timers are not finer than that).
  let k = 0;
  await new Promise<void>((done) => {
    const tick = setInterval(() => {
      const now = performance.now();
      for (; k < total && start + (k * 1000) / input.rate <= now; k++) pending.push(send(k));
      if (k >= total) {
        clearInterval(tick);
        done();
      }
    }, 1);
  });
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { answered: latencies.length, failed, p50: at(0.5), p99: at(0.99) };
}
