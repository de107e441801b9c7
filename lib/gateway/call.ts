import { randomUUID } from "node:crypto";
import type { CallerSignals } from "../policy/signals";
import { acquireSlot, admitCall, giveBack, releaseSlot, reportUsage, type QuotaContext, type Refusal } from "../quota";
import type { AnswerUsage } from "./answer-meter";
import type { ModelServers } from "./model-servers";

export type GatewayDeps = {
  ctx: QuotaContext;
  now: () => Promise<Date>;
  leaseSeconds: number;
  servers: ModelServers;
  log: (line: string) => void;
};

/** What a governor needs to know of a call before it is forwarded. */
export type CallFacts = {
  /** hashKey of the caller's key, computed once per call (the cache's lookup, the admission). */
  keyHash: string;
  model: string;
  kind: "prompt" | "vision";
  /** QUOTA-1: the tool calls the last user turn answers, when it holds only tool results. */
  toolResultIds: string[] | null;
  /**
   * A likely count of the input tokens, for an answer whose model server reported none: computed when
   * first asked (it reads the whole body, which most coding calls never need).
   */
  promptTokens: () => number;
  /** BILL-1: a prompt size the real count never exceeds (UTF-8 bytes), for the pay-as-you-go hold; computed when first asked. */
  promptTokensBound: () => number;
  maxTokens: number | null;
  caller: CallerSignals;
};

/**
 * How a call ended: whether any of the answer reached the client, what the model server reported, the tool
 * calls it returned, and (asked only when the server reported nothing) an estimate.
 */
export type CallEnd = {
  delivered: boolean;
  usage: AnswerUsage | null;
  estimate: () => AnswerUsage;
  toolCallIds: string[];
};

export type Admission =
  | { ok: true; requestId: string; end: (e: CallEnd) => Promise<void> }
  | { ok: false; requestId: string; refusal: Refusal };

/** Admits a call (or says why not) and accounts for it when it ends: the coding plan's quota, or the pay-as-you-go balance. */
export type Governor = (deps: GatewayDeps, secret: string, facts: CallFacts) => Promise<Admission>;

/** `fn` once, however often it is called: an end can be reached by the answer finishing and by the client leaving. */
export function once<A>(fn: (a: A) => Promise<void>): (a: A) => Promise<void> {
  let done: Promise<void> | null = null;
  return (a) => (done ??= fn(a));
}

/**
 * A coding-plan call (QUOTA-1..8): authenticate the key, take a concurrency
 * slot (refused at once when none is free) and spend quota — a prompt at
 * the model's cost, or nothing when the call continues a tool loop — in one
 * round trip (admitCall). When the
 * call ends: an answer that reached the client reports its usage and the
 * tool calls it returned; one that did not gives its prompt back (GATE-3).
 * Either way the slot is freed. Its lease is renewed while a long answer
 * streams; if this process dies mid-call, the lease runs out and frees it.
 */
export const codingPlanGovernor: Governor = async (deps, secret, facts) => {
  const requestId = randomUUID();
  const { ctx } = deps;
  const now = await deps.now();
  const decision = await admitCall(
    ctx,
    {
      key: secret,
      keyHash: facts.keyHash,
      model: facts.model,
      kind: facts.kind,
      requestId,
      toolResultIds: facts.toolResultIds ?? undefined,
    },
    now,
    deps.leaseSeconds,
  );
  if (!decision.allowed) return { ok: false, requestId, refusal: decision.refusal };
  const who = { key: decision.key, plan: decision.plan };
  const free = () => releaseSlot(ctx, who.plan.subscriptionId, requestId).then(() => undefined);
  try {
    const renew = setInterval(
      () => {
        void deps
          .now()
          .then((at) => acquireSlot(ctx, who, requestId, at, deps.leaseSeconds))
          .catch(() => {});
      },
      (deps.leaseSeconds * 1000) / 3,
    );
    renew.unref();
    const end = once(async (e: CallEnd) => {
      clearInterval(renew);
      let freed = false;
      try {
        if (!e.delivered) {
          // No answer, no charge: a continuing call spent nothing, a retried request id was counted by its first attempt.
          if (decision.cost > 0 && !decision.duplicate) await giveBack(ctx, decision.plan, requestId, now);
          return;
        }
        const usage = e.usage ?? e.estimate();
        const tool = facts.kind === "vision" ? "vision" : null;
        const report = {
          requestId,
          model: facts.model,
          tool,
          ...usage,
          toolCallIds: e.toolCallIds,
          caller: facts.caller,
          releaseSlotOf: who.plan.subscriptionId,
        };
        await reportUsage(ctx, decision, report, await deps.now());
        freed = true;
      } catch (err) {
        deps.log(`accounting for ${requestId} failed: ${err instanceof Error ? err.message : err}`);
      } finally {
        if (!freed) await free().catch(() => {});
      }
    });
    return { ok: true, requestId, end };
  } catch (e) {
    await free().catch(() => {});
    throw e;
  }
};
