import { randomUUID } from "node:crypto";
import { acquireSlot, authorize, consume, giveBack, releaseSlot, reportUsage, type QuotaContext, type Refusal } from "../quota";
import type { Chat, Completion } from "./completion";
import { localCompletion } from "./local-responder";
import { upstreamCompletion } from "./upstream";

export type GatewayDeps = {
  ctx: QuotaContext;
  now: () => Promise<Date>;
  leaseSeconds: number;
  upstream: { url: string; apiKey?: string } | null;
  log: (line: string) => void;
};

export type Governed =
  | { ok: true; requestId: string; completion: Completion; finish: () => Promise<void> }
  | { ok: false; requestId: string; refusal: Refusal };

/**
 * One model call as COMPAT.md describes the reference gateway: authenticate
 * the key, take a concurrency slot (QUOTA-8: refused at once when none is
 * free), spend quota (QUOTA-1..7), forward to the upstream (or the local
 * responder), and when the answer ends report the usage and free the slot.
 * The slot's lease is renewed while a long answer streams; if this process
 * dies mid-call, the lease runs out and frees it.
 */
export async function governedCall(deps: GatewayDeps, secret: string | null, chat: Chat, kind: "prompt" | "vision", signal: AbortSignal): Promise<Governed> {
  const requestId = randomUUID();
  if (!secret) return { ok: false, requestId, refusal: { code: "missing_key" } };
  const { ctx } = deps;
  const who = await authorize(ctx, secret);
  if ("refusal" in who) return { ok: false, requestId, refusal: who.refusal };
  const now = await deps.now();
  const slot = await acquireSlot(ctx, who, requestId, now, deps.leaseSeconds);
  if (!slot.acquired) return { ok: false, requestId, refusal: { code: "concurrency" } };
  const free = () => releaseSlot(ctx, who.plan.subscriptionId, requestId).then(() => undefined);
  try {
    const decision = await consume(ctx, { key: secret, model: chat.model, kind, requestId }, now);
    if (!decision.allowed) {
      await free();
      return { ok: false, requestId, refusal: decision.refusal };
    }
    let completion: Completion;
    try {
      completion = deps.upstream ? await upstreamCompletion(deps.upstream.url, deps.upstream.apiKey, chat, signal) : localCompletion(chat);
    } catch (e) {
      // No answer, no charge: the prompt goes back before the error is answered.
      await giveBack(ctx, decision.plan, requestId, now);
      throw e;
    }
    const renew = setInterval(() => {
      void deps.now().then((at) => acquireSlot(ctx, who, requestId, at, deps.leaseSeconds)).catch(() => {});
    }, (deps.leaseSeconds * 1000) / 3);
    renew.unref();
    let finished: Promise<void> | null = null;
    const finish = () =>
      (finished ??= (async () => {
        clearInterval(renew);
        try {
          const usage = await completion.usage();
          await reportUsage(ctx, who, { requestId, model: chat.model, tool: kind === "vision" ? "vision" : null, ...usage, caller: chat.caller }, await deps.now());
        } catch (e) {
          deps.log(`usage report for ${requestId} failed: ${e instanceof Error ? e.message : e}`);
        } finally {
          await free().catch(() => {});
        }
      })());
    return { ok: true, requestId, completion, finish };
  } catch (e) {
    await free().catch(() => {});
    throw e;
  }
}
