/**
 * The web app's server: Next's request handler behind a plain node:http
 * server, so that the caller's address comes from the socket (SEC-2). `next
 * start` would hand route handlers whatever X-Forwarded-For the client wrote
 * (Next fills it in only when it is missing); here every request is stamped
 * with the address from the socket and TRUSTED_PROXY_HOPS before Next sees
 * it (lib/http/client-address.ts). `npm start` runs this instead of `next start`.
 *   --dev   Next's development server (hot reload)
 */
import http from "node:http";
import next from "next";
import { ConfigError, parseEnv } from "../lib/config/env";
import { stampClientAddress } from "../lib/http/client-address";
import { DatabaseHealth } from "../lib/db/health";
import { isDatabaseUnavailable } from "../lib/db/unavailable";
import { gracefulClose } from "../lib/http/graceful-close";
import { outageForFailedPage, outageGate, sendOutage } from "../lib/http/outage-gate";
import { refuseOversizedAction } from "./lib/action-body-limit";

const dev = process.argv.includes("--dev");
let config;
try {
  config = parseEnv(process.env);
} catch (e) {
  console.error(`web: ${e instanceof ConfigError ? e.message : e}`);
  process.exit(2);
}
const { PORT: port, TRUSTED_PROXY_HOPS: hops } = config;
const log = (line: string) => console.log(`web: ${line}`);
// Next builds absolute URLs with this name; the server itself listens on every interface, IPv4 and IPv6, as `next start` does.
const hostname = "localhost";

const app = next({ dev, dir: process.cwd(), hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const upgrade = app.getUpgradeHandler();

// REL-3: while Postgres is down or restarting, requests are answered 503 before Next sees them.
const health = new DatabaseHealth(process.env.DATABASE_URL ?? "", { log });
if (process.env.DATABASE_URL) health.start();
const gate = outageGate(health, config.DB_UNAVAILABLE_WAIT_MS);

const server = http.createServer((req, res) => {
  stampClientAddress(req, hops);
  if (refuseOversizedAction(req, res)) return;
  gate(req, res)
    .then((answered) => {
      if (answered) return;
      outageForFailedPage(health, req, res);
      return handle(req, res);
    })
    .catch((e: unknown) => {
      if (isDatabaseUnavailable(e)) return sendOutage(req, res);
      console.error(`web: ${req.method} ${req.url} failed: ${e instanceof Error ? e.stack : e}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
});
const closing = gracefulClose(server);
// Hot reload's websocket in development; the stamp applies there too.
server.on("upgrade", (req, socket, head) => {
  stampClientAddress(req, hops);
  void upgrade(req, socket, head);
});
server.listen(port, () => console.log(`web: listening on port ${port}${dev ? " (development)" : ""}`));

// Graceful stop: no new requests; those in flight finish (within SHUTDOWN_GRACE_SECONDS) before Next and the process end.
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void closing
    .drain(config.SHUTDOWN_GRACE_SECONDS * 1000)
    .then((cut) => cut && log(`stopped with ${cut} request(s) still running`))
    .then(() => Promise.all([app.close(), health.stop()]))
    .finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
