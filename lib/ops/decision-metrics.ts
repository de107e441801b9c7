import type http from "node:http";
import { Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { metricsAccess } from "./metrics-access";

const DECISION_PREFIX = "/api/gateway/v1/";
// Label values come from this list only, so a caller cannot grow the series by inventing paths.
const KNOWN_PATHS: Record<string, string> = {
  "/api/anthropic/v1/messages": "anthropic_messages",
  "/api/anthropic/v1/messages/count_tokens": "anthropic_count_tokens",
  "/api/coding/paas/v4/chat/completions": "coding_chat",
  "/api/coding/paas/v4/models": "coding_models",
  "/api/paas/v4/chat/completions": "payg_chat",
  "/api/stripe/webhook": "stripe_webhook",
};
const DECISION_OPS = new Set(["consume", "usage", "slots/acquire", "slots/release"]);

/**
 * The decision server's own /metrics: a latency histogram of every request
 * it answers (decision API operations and the model routes it serves), and
 * the process's default metrics. Decisions are timed here because this is
 * the process that makes them; the web app's /metrics carries the business
 * counters. Installed around the server's handler without touching it: the
 * handler still answers everything else, exactly as before.
 */
export function instrumentDecisionServer(server: http.Server, token: string | undefined) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "codeplan_decision_" });
  const latency = new Histogram({
    name: "codeplan_decision_seconds",
    help: "Time from request to the end of the answer on the decision server, by route and status.",
    labelNames: ["route", "status"],
    // The decision itself is about one database round trip (README, "Measured"); model calls take seconds.
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
    registers: [registry],
  });
  const inner = server.listeners("request") as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = req.url?.split("?")[0] ?? "";
    if (path === "/metrics" && req.method === "GET") return void answerMetrics(req, res);
    const route = routeLabel(path);
    const stop = latency.startTimer({ route });
    res.once("finish", () => stop({ status: String(res.statusCode) }));
    for (const listener of inner) listener(req, res);
  });
  async function answerMetrics(req: http.IncomingMessage, res: http.ServerResponse) {
    const access = metricsAccess(token, req.headers.authorization);
    if (access !== "ok")
      return void res
        .writeHead(access, { "content-type": "text/plain" })
        .end(access === 404 ? "Not found\n" : "Unauthorized\n");
    const text = await registry.metrics();
    res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" }).end(text);
  }
  return registry;
}

function routeLabel(path: string): string {
  if (path.startsWith(DECISION_PREFIX)) {
    const op = path.slice(DECISION_PREFIX.length);
    return DECISION_OPS.has(op) ? `decision_${op.replace("/", "_")}` : "decision_other";
  }
  return KNOWN_PATHS[path] ?? "other";
}
