import type { CallerSignals } from "../policy/signals";
import type { QuotaContext } from "./consume";
import type { KeySubject, PlanSubject } from "./subjects";

export type UsageInput = {
  requestId: string;
  model: string;
  tool?: string | null;
  /** Every input token, cached or not (OpenAI's prompt_tokens; Anthropic's input + cache read + cache write). */
  inputTokens: number;
  outputTokens: number;
  /** Of the input, read from the model server's prompt cache. */
  cachedTokens: number;
  /** Of the input, written to the model server's prompt cache. */
  cacheWriteTokens?: number;
  /** QUOTA-1: the tool calls the model returned in this answer; a call that answers them continues this call's prompt. */
  toolCallIds?: readonly string[];
  /** Who called, when the gateway says (POLICY-1, POLICY-3). */
  caller?: CallerSignals | null;
  /** The reference gateway's own calls: the subscription whose concurrency slot this request holds, freed in the same statement. */
  releaseSlotOf?: string;
};

/**
 * After a call: what it used (tokens, cached tokens, model, tool). Stored once
 * per request id, so a gateway that reports twice (a retry after a timeout)
 * is not counted twice. Answers whether this report was the first. The
 * caller's signals are what the usage-policy rules read.
 *
 * QUOTA-1: the report names the prompt the call belongs to (the one its
 * decision continued, else its own), and records the tool calls the answer
 * returned under that prompt, in the same statement: a report either counts
 * and opens the next step of the tool loop, or does neither. A tool call id
 * the model server reuses is taken over by the newest answer. The reference
 * gateway frees the call's slot in the same statement. Reports that arrive
 * together are written together (call-batchers.ts).
 */
export function reportUsage(
  ctx: QuotaContext,
  who: { key: KeySubject; plan: PlanSubject },
  usage: UsageInput,
  now: Date,
): Promise<boolean> {
  return ctx.reports.submit({
    sub: who.plan.subscriptionId,
    requestId: usage.requestId,
    key: who.key.keyId,
    model: usage.model,
    tool: usage.tool ?? null,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedTokens: usage.cachedTokens,
    cacheWriteTokens: usage.cacheWriteTokens ?? 0,
    at: now,
    client: usage.caller?.client ?? null,
    network: usage.caller?.network ?? null,
    agentShaped: usage.caller?.agentShaped ?? null,
    clientId: usage.caller?.clientId ?? null,
    device: usage.caller?.device ?? null,
    toolCallIds: usage.toolCallIds ?? [],
    slotOf: usage.releaseSlotOf ?? null,
  });
}
