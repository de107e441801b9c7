/**
 * `tsx scripts/stripe-local/server.ts`: the local Stripe-compatible server as
 * a process, for `npm run dev` without a Stripe key.
 *   STRIPE_LOCAL_PORT         default 12111
 *   STRIPE_LOCAL_DATA         default .data/stripe-local.json
 *   STRIPE_LOCAL_WEBHOOK_URL  where events are POSTed (unset: recorded only)
 *   STRIPE_WEBHOOK_SECRET     signs deliveries (the app verifies with the same secret)
 * Stops cleanly on SIGTERM / SIGINT.
 */
import path from "node:path";
import { startStripeLocal } from "./index";

const log = (msg: string) => console.log(`stripe-local: ${msg}`);

const port = Number(process.env.STRIPE_LOCAL_PORT ?? 12111);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`stripe-local: STRIPE_LOCAL_PORT must be a port number, got "${process.env.STRIPE_LOCAL_PORT}"`);
  process.exit(1);
}

const server = await startStripeLocal({
  port,
  dataFile: path.resolve(process.env.STRIPE_LOCAL_DATA || ".data/stripe-local.json"),
  webhookUrl: process.env.STRIPE_LOCAL_WEBHOOK_URL || undefined,
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET || undefined,
  log,
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  await server.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
