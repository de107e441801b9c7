import http from "node:http";
import type { AddressInfo } from "node:net";
import { stampClientAddress } from "../../lib/http/client-address";
import { sendWebResponse, webRequestOf } from "../../lib/http/node-web";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string[]>> }) => Promise<Response>;
type Routes = Record<string, Partial<Record<"GET" | "POST", Handler>>>;

/**
 * Serves the app's own route handlers (the modules under app/api) over real
 * HTTP, without the rest of Next, so the official SDKs and raw HTTP clients
 * can be pointed at them in integration tests. Paths ending in `/*` pass the
 * rest as the catch-all `op` parameter, as Next does for [...op].
 */
export async function serveRoutes(routes: Routes): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    // As the app's own servers do (scripts/web-server.ts): the caller's address from the socket (SEC-2).
    stampClientAddress(req, 0);
    const url = new URL(req.url ?? "/", "http://localhost");
    let handler: Handler | undefined;
    let params: Record<string, string[]> = {};
    for (const [path, methods] of Object.entries(routes)) {
      const h = methods[req.method as "GET" | "POST"];
      if (!h) continue;
      if (path.endsWith("/*") && url.pathname.startsWith(path.slice(0, -1))) {
        handler = h;
        params = { op: url.pathname.slice(path.length - 1).split("/") };
      } else if (path === url.pathname) handler = h;
      if (handler) break;
    }
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    const response = await handler(webRequestOf(req, res, "http://localhost"), { params: Promise.resolve(params) });
    await sendWebResponse(res, response);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
