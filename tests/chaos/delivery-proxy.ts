import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Rng } from "./prng";

/**
 * Between the local Stripe server and the app's webhook route: delivers each
 * event late (a random delay, so later events overtake earlier ones: out of
 * order), and some twice (a second copy of the same signed body some seconds
 * later, as Stripe may). The processor is told what the app answered, so a
 * delivery the app did not take (it was down) is retried by the processor.
 */
export async function startDeliveryProxy(input: { port: number; target: () => string; rng: Rng }) {
  const stats = { received: 0, late: 0, twice: 0, failed: 0, slowestMs: 0 };
  let inFlight = 0;
  const forward = async (body: Buffer, headers: http.IncomingHttpHeaders) => {
    const started = Date.now();
    const res = await fetch(input.target(), {
      method: "POST",
      body: new Uint8Array(body),
      headers: { "content-type": "application/json", "stripe-signature": String(headers["stripe-signature"] ?? "") },
      signal: AbortSignal.timeout(15_000),
    });
    await res.arrayBuffer();
    stats.slowestMs = Math.max(stats.slowestMs, Date.now() - started);
    return res.status;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      stats.received++;
      inFlight++;
      const body = Buffer.concat(chunks);
      const delay = input.rng.chance(0.4) ? input.rng.int(4000) : 0;
      const twice = input.rng.chance(0.25);
      if (delay) stats.late++;
      setTimeout(() => {
        forward(body, req.headers)
          .then((status) => {
            res.writeHead(status).end();
            if (status >= 300) stats.failed++;
            if (twice && status < 300) {
              stats.twice++;
              inFlight++;
              setTimeout(
                () =>
                  void forward(body, req.headers)
                    .catch(() => {})
                    .finally(() => inFlight--),
                500 + input.rng.int(5000),
              );
            }
          })
          .catch(() => {
            stats.failed++;
            res.writeHead(502).end();
          })
          .finally(() => inFlight--);
      }, delay);
    });
  });
  await new Promise<void>((r) => server.listen(input.port, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/stripe/webhook`,
    stats,
    idle: () => inFlight === 0,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
