import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type Stripe from "stripe";
import { afterAll, beforeAll } from "vitest";
import type { Db } from "../../lib/db/client";
import { LOCAL_SECRET_KEY, signStripePayload, stripeClient, stripePort } from "../../lib/payments/stripe";
import { startStripeLocal, type StripeLocal } from "../../scripts/stripe-local";

export const WEBHOOK_SECRET = "whsec_codeplan_tests";

export type LocalStripe = { server: StripeLocal; stripe: Stripe; url: string };

/** The local Stripe-compatible server for the calling test file, on a free port, recording events without delivering them. */
export function setupLocalStripe(): LocalStripe {
  const t = {} as LocalStripe;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stripe-local-"));
    t.server = await startStripeLocal({ port: 0, dataFile: path.join(dir, "state.json") });
    t.url = t.server.url;
    t.stripe = stripeClient({ secretKey: LOCAL_SECRET_KEY, server: serverOf(t.server.url) });
  });
  afterAll(() => t.server?.stop());
  return t;
}

export function serverOf(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), protocol: "http" as const };
}

/** The real Stripe port, talking to the local server through the SDK, over a test database. */
export function localStripePort(db: Db, local: LocalStripe, now: () => Date) {
  return stripePort({ db, stripe: local.stripe, provider: "stripe-local", now: async () => now() });
}

/** Events the local server recorded, oldest first, optionally of some types only. */
export async function recordedEvents(local: LocalStripe, types?: string[]): Promise<Stripe.Event[]> {
  const all: Stripe.Event[] = [];
  for await (const e of local.stripe.events.list({ limit: 100 })) all.push(e);
  return all.reverse().filter((e) => !types || types.includes(e.type));
}

/** A signed delivery of an event, as Stripe would send it. */
export function signed(event: unknown, opts: { secret?: string; timestamp?: number } = {}) {
  const body = JSON.stringify(event);
  return { body, header: signStripePayload(body, opts.secret ?? WEBHOOK_SECRET, opts.timestamp) };
}

/**
 * Calls the app's real webhook route handler with a raw body and signature,
 * then waits for the background processing it started, so a test sees the
 * effects (the processor does not wait; a test must).
 */
export async function postWebhook(delivery: { body: string; header: string | null }) {
  const { POST } = await import("../../app/api/stripe/webhook/route");
  const { eventsDrained } = await import("../../lib/payments/webhooks");
  const headers = new Headers({ "content-type": "application/json" });
  if (delivery.header !== null) headers.set("stripe-signature", delivery.header);
  const res = await POST(
    new Request("http://localhost/api/stripe/webhook", { method: "POST", body: delivery.body, headers }),
    { params: Promise.resolve({}) },
  );
  await eventsDrained();
  return {
    status: res.status,
    body: (await res.json()) as { received?: boolean; outcome?: string; error?: { code: string } },
  };
}

/** What processing did to a stored event (its note: "succeeded", "ignored", "in_step", …). */
export async function eventNote(db: Db, id: string) {
  const row = await db.paymentEvent.findUniqueOrThrow({ where: { id } });
  return { status: row.status, note: row.lastError, attempts: row.attempts };
}
