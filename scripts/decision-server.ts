/**
 * The decision server: the gateway's decision API (lib/gateway/decision-api.ts)
 * on its own port (DECISION_PORT), without Next. `npm start` runs one beside
 * the app; more can run anywhere with the same DATABASE_URL and GATEWAY_SECRET,
 * since every decision is settled in Postgres.
 */
// Pay-as-you-go registers its invoice effects with billing (a Stripe webhook here may settle a pack).
import "../lib/composition/wiring";
import { clockFor } from "../lib/clock";
import { env } from "../lib/config/env";
import { createDb } from "../lib/db/client";
import { DatabaseHealth } from "../lib/db/health";
import { gracefulClose } from "../lib/http/graceful-close";
import { outageGate } from "../lib/http/outage-gate";
import { paygContextFor } from "../lib/api-billing";
import { anthropicCountTokens, anthropicMessagesAnswer } from "../lib/gateway/anthropic-wire";
import type { GatewayDeps } from "../lib/gateway/call";
import * as paths from "../lib/gateway/decision-server";
import { modelServersOf } from "../lib/gateway/model-servers";
import { openaiModels } from "../lib/gateway/models-list";
import { openaiChatAnswer } from "../lib/gateway/openai-wire";
import { paygGovern } from "../lib/gateway/payg-call";
import { gatewayRoute } from "../lib/gateway/route";
import type { StreamedAnswer } from "../lib/http/streamed-answer";
import { paymentPort } from "../lib/payments";
import { stripeWebhookEndpoint } from "../lib/payments/webhooks";
import { instrumentDecisionServer } from "../lib/ops/decision-metrics";
import { countedRoute, outcomeTally } from "../lib/ops/outcomes";
import { quotaContextFor } from "../lib/quota";

const log = (line: string) => console.log(`decisions: ${line}`);
const config = env();
const url = process.env.DATABASE_URL;
if (!url || !config.GATEWAY_SECRET) {
  console.error("decisions: DATABASE_URL and GATEWAY_SECRET must be set (npm start sets them)");
  process.exit(2);
}
// Decisions take two connections (lib/quota/context.ts), pay-as-you-go holds and settlements
// four (lib/api-billing/context.ts); the rest serve slots, usage reports, webhooks and reads.
process.env.DATABASE_POOL_SIZE ||= "16";
const database = createDb(url);
const clock = clockFor(config.APP_ENV, () => database);
const ctx = quotaContextFor(database, url);
const gateway: GatewayDeps = {
  ctx,
  now: () => clock.now(),
  leaseSeconds: config.QUOTA_SLOT_LEASE_SECONDS,
  servers: modelServersOf(config),
  log: (line: string) => log(`gateway: ${line}`),
};
const payg = paygGovern(paygContextFor(database, url));
// Stripe may be pointed here instead of at the app (README, "Stripe"): the same handler, without Next's pipeline.
const webhook = stripeWebhookEndpoint(
  () => database,
  async () => ({ db: database, now: await clock.now(), port: paymentPort() }),
);
// How model calls end, tallied for the operator's dashboard (lib/ops/outcomes.ts), as on the app's port.
const outcomes = outcomeTally(
  () => database,
  () => clock.now(),
);
const counted = <A extends Response | StreamedAnswer>(handler: (req: Request) => Promise<A>) =>
  countedRoute(() => outcomes, handler);
// The model routes, with the very handlers of the app's routes (a deployment can send model traffic to this port).
const routes = {
  [paths.PAYG_PATH]: counted(gatewayRoute("openai", (req) => openaiChatAnswer(gateway, req, payg))),
  [paths.CODING_OPENAI_PATH]: counted(gatewayRoute("openai", (req) => openaiChatAnswer(gateway, req))),
  [paths.CODING_MODELS_PATH]: gatewayRoute("openai", (req) => openaiModels(gateway, req)),
  [paths.ANTHROPIC_MESSAGES_PATH]: counted(gatewayRoute("anthropic", (req) => anthropicMessagesAnswer(gateway, req))),
  [paths.ANTHROPIC_COUNT_TOKENS_PATH]: gatewayRoute("anthropic", (req) => anthropicCountTokens(gateway, req)),
  [paths.STRIPE_WEBHOOK_PATH]: webhook,
};
// REL-3: while Postgres is down or restarting, every path answers 503 with Retry-After at once, in its caller's shape.
const health = new DatabaseHealth(url, { log }).start();
const server = paths.createDecisionServer(
  { ctx, secret: config.GATEWAY_SECRET, now: () => clock.now(), leaseSeconds: config.QUOTA_SLOT_LEASE_SECONDS },
  log,
  routes,
  {
    trustedProxyHops: config.TRUSTED_PROXY_HOPS,
    gate: outageGate(health, config.DB_UNAVAILABLE_WAIT_MS),
  },
);
// GET /metrics on this port: the decision latency histograms (behind METRICS_TOKEN, as the app's).
instrumentDecisionServer(server, config.METRICS_TOKEN);
const closing = gracefulClose(server);
server.listen(config.DECISION_PORT, config.DECISION_HOST, () =>
  log(`decision API on ${config.DECISION_HOST} port ${config.DECISION_PORT}`),
);

// Graceful stop: no new calls; calls in flight finish (slots released, usage reported) within SHUTDOWN_GRACE_SECONDS.
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const cut = await closing.drain(config.SHUTDOWN_GRACE_SECONDS * 1000);
  if (cut) log(`stopped with ${cut} call(s) still running; their slot leases run out`);
  await outcomes.stop();
  await health.stop();
  await ctx.cache.stop();
  await database.$disconnect();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
