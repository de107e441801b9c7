import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiContext } from "./api-context";
import { recordEvent, type EventOrigin } from "./event-log";
import { createRequestHandler } from "./request-handler";
import type { ServerDeps } from "./server-deps";
import { loadState, saveState } from "./state-file";
import { createWebhookDeliverer } from "./webhook-deliverer";

export type StripeLocalOptions = {
  /** 0 picks any free port. */
  port: number;
  /** JSON file holding all state; created if missing, reloaded on start. */
  dataFile: string;
  /** Where events are POSTed; unset means events are recorded but not delivered. */
  webhookUrl?: string;
  /** Signs deliveries (Stripe-Signature); defaults to DEFAULT_WEBHOOK_SECRET. */
  webhookSecret?: string;
  /** First retry delay in ms; attempt n waits retryBaseMs × 2^(n-1), jittered. Default 1000. */
  retryBaseMs?: number;
  /** Attempts per delivery before giving up. Default 8. */
  maxAttempts?: number;
  log?: (msg: string) => void;
  /** Base URL the browser uses for the 3-D Secure page. Default http://localhost:<port>. */
  publicUrl?: string;
};

export type StripeLocal = {
  /** Base URL for API clients, e.g. http://127.0.0.1:12111. */
  url: string;
  port: number;
  stop(): Promise<void>;
};

/** Used when a webhook URL is set without a secret, so deliveries are still signed. */
export const DEFAULT_WEBHOOK_SECRET = "whsec_stripe_local";

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // The SDK keeps connections alive; without this, close() would wait for them to time out.
    server.closeAllConnections();
  });
}

/**
 * Starts a local Stripe-compatible API for development and tests: the real
 * `stripe` SDK pointed at it (`host: "127.0.0.1", port, protocol: "http"`)
 * gets Stripe's objects, errors, idempotency and signed webhooks, with no network.
 */
export async function startStripeLocal(options: StripeLocalOptions): Promise<StripeLocal> {
  const log = options.log ?? (() => {});
  const state = loadState(options.dataFile);
  let stopped = false;
  // After stop() nothing may write: a new instance may already own the file.
  const persist = () => {
    if (!stopped) saveState(options.dataFile, state);
  };
  const deliverer = createWebhookDeliverer({
    state,
    persist,
    webhookUrl: options.webhookUrl,
    webhookSecret: options.webhookSecret ?? DEFAULT_WEBHOOK_SECRET,
    retryBaseMs: options.retryBaseMs ?? 1000,
    maxAttempts: options.maxAttempts ?? 8,
    log,
  });
  let publicUrl = options.publicUrl ?? "";
  const context = (origin: EventOrigin): ApiContext => ({
    state,
    now: () => Math.floor(Date.now() / 1000),
    publicUrl,
    emit(type, object) {
      const event = recordEvent(state, {
        type,
        object,
        request: origin,
        created: Math.floor(Date.now() / 1000),
        pendingWebhooks: options.webhookUrl ? 1 : 0,
      });
      deliverer.enqueue(event);
    },
  });
  const deps: ServerDeps = { state, persist, deliverer, context, log };
  const handler = createRequestHandler(deps);

  const primary = http.createServer(handler);
  const port = await listen(primary, options.port, "127.0.0.1");
  // Browsers may resolve "localhost" to ::1 first; answer there too when the host has IPv6.
  const secondary = http.createServer(handler);
  await listen(secondary, port, "::1").catch((e: NodeJS.ErrnoException) =>
    log(`not listening on [::1]:${port} (${e.code ?? e.message})`),
  );
  publicUrl = (options.publicUrl ?? `http://localhost:${port}`).replace(/\/$/, "");

  saveState(options.dataFile, state);
  deliverer.start();
  const url = `http://127.0.0.1:${port}`;
  log(`listening on ${url} (data ${options.dataFile}; webhooks ${options.webhookUrl ?? "not delivered"})`);

  return {
    url,
    port,
    async stop() {
      if (stopped) return;
      await deliverer.stop();
      await Promise.all([close(primary), close(secondary)]);
      saveState(options.dataFile, state);
      stopped = true;
    },
  };
}
