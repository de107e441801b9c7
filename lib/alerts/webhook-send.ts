import type { LookupFunction } from "node:net";
import { Agent, request } from "undici";
import { Webhook } from "standardwebhooks";
import { checkTarget, type AddressPolicy, type Resolve, type Target } from "./webhook-target";

/** One message as the Standard Webhooks scheme frames it: an id the receiver dedupes by, a type, a JSON body. */
export type WebhookMessage = { id: string; type: string; data: Record<string, unknown> };
export type SendOutcome = { delivered: boolean; status?: number; error?: string };
export type SendOptions = { allowPrivate: AddressPolicy; timeoutMs: number; resolve?: Resolve };

const MAX_REDIRECTS = 3;

/** An agent that connects to the address the target check approved, whatever the name resolves to by then. */
function pinnedAgent(target: Target, timeoutMs: number) {
  return new Agent({
    connect: {
      timeout: timeoutMs,
      lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
        // net.connect asks for every address (all: true) when it may race IPv4 against IPv6.
        if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
        else callback(null, target.address, target.family);
      }) as unknown as LookupFunction,
    },
  });
}

/**
 * Signs and posts one message (ALERT-1). The signature's timestamp is the
 * wall clock's, not the application clock's: receivers check it against
 * their own clocks to refuse replays, so a demo clock moved forward must not
 * reach it. A 2xx is delivered; anything else, a refused redirect or a
 * network error is an attempt the delivery log records and retries.
 */
export async function sendWebhook(
  urlText: string,
  secret: string,
  message: WebhookMessage,
  opts: SendOptions,
): Promise<SendOutcome> {
  const body = JSON.stringify({
    type: message.type,
    timestamp: new Date(Date.now()).toISOString(),
    data: message.data,
  });
  const sentAt = new Date(Date.now());
  const headers = {
    "content-type": "application/json",
    "user-agent": "CodePlan-Webhooks/1",
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(message.id, sentAt, body),
  };
  let next = urlText;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const target = await checkTarget(next, opts.allowPrivate, opts.resolve);
    if (typeof target === "string") return { delivered: false, error: target };
    const agent = pinnedAgent(target, opts.timeoutMs);
    try {
      const res = await request(target.url, {
        method: "POST",
        headers,
        body,
        dispatcher: agent,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
      });
      // The receiver's answer is not ours to read beyond its status; drain it so the socket closes cleanly.
      await res.body.dump({ limit: 64 * 1024 }).catch(() => {});
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === "string") {
        next = new URL(location, target.url).toString();
        continue;
      }
      return res.statusCode >= 200 && res.statusCode < 300
        ? { delivered: true, status: res.statusCode }
        : { delivered: false, status: res.statusCode };
    } catch (e) {
      return { delivered: false, error: e instanceof Error ? e.message.slice(0, 200) : "network_error" };
    } finally {
      await agent.close().catch(() => {});
    }
  }
  return { delivered: false, error: "too_many_redirects" };
}
