import type http from "node:http";

/**
 * Graceful stop for a node:http server: count the requests in flight; on
 * `drain`, take no new connections, tell keep-alive callers to go (Connection:
 * close), let what is in flight finish (a streamed answer to its last event,
 * its slot released and its usage reported, gateway/call.ts) for at most
 * `graceMs`, then cut whatever is left.
 */
export function gracefulClose(server: http.Server) {
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | null = null;
  server.on("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight += 1;
    if (draining && !res.headersSent) res.setHeader("connection", "close");
    res.once("close", () => {
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    });
  });
  return {
    inFlight: () => inFlight,
    /** Resolves with the number of requests that had to be cut (0 when all finished in time). */
    async drain(graceMs: number): Promise<number> {
      draining = true;
      server.close();
      server.closeIdleConnections();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, graceMs);
          idle = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
      const cut = inFlight;
      server.closeAllConnections();
      return cut;
    },
  };
}
