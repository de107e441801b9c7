import { isJsonObject, type Json, type SseEvent, type Wire } from "./wire";

/** Token counts as the usage report stores them: input counts every input token, cached or not. */
export type AnswerUsage = { inputTokens: number; outputTokens: number; cachedTokens: number; cacheWriteTokens: number };

/**
 * Reads an answer on its way to the client, without changing it: the token
 * counts the model server reports (Anthropic: message_start and
 * message_delta; OpenAI: the usage chunk), the tool calls it returns (their
 * ids open the next step of a tool loop, QUOTA-1), and how much text went
 * out (for an estimate when a cut stream reported no usage).
 */
export class AnswerMeter {
  private usage: AnswerUsage | null = null;
  readonly toolCallIds: string[] = [];
  outputChars = 0;
  /** The model server sent its closing event (Anthropic's message_stop, OpenAI's [DONE]): the answer is whole. */
  finished = false;

  constructor(private readonly wire: Wire) {}

  /** One event of a streamed answer; answers whether it was a usage-only OpenAI chunk (`choices: []`). */
  event(ev: SseEvent): { usageOnly: boolean } {
    if (ev.data === "[DONE]" || ev.event === "message_stop") this.finished = true;
    // OpenAI's closing line is not JSON: answered without the exception JSON.parse would throw for it.
    if (ev.data === "[DONE]") return { usageOnly: false };
    let data: unknown;
    try {
      data = JSON.parse(ev.data);
    } catch {
      return { usageOnly: false }; // "[DONE]", or a line that is not ours to judge
    }
    if (!isJsonObject(data)) return { usageOnly: false };
    return this.wire === "anthropic" ? this.anthropicEvent(data) : this.openaiChunk(data);
  }

  /** A whole (non-streamed) answer. */
  answer(body: Json): void {
    if (this.wire === "anthropic") {
      this.addAnthropicUsage(body.usage);
      for (const b of asList(body.content)) {
        if (b.type === "tool_use" && typeof b.id === "string") this.toolCallIds.push(b.id);
        if (typeof b.text === "string") this.outputChars += b.text.length;
      }
      return;
    }
    this.setOpenaiUsage(body.usage);
    for (const c of asList(body.choices)) {
      const message = isJsonObject(c.message) ? c.message : {};
      for (const call of asList(message.tool_calls)) if (typeof call.id === "string") this.toolCallIds.push(call.id);
      if (typeof message.content === "string") this.outputChars += message.content.length;
    }
  }

  /** What the model server reported, or null when it reported nothing. */
  reported(): AnswerUsage | null {
    return this.usage;
  }

  private anthropicEvent(data: Json): { usageOnly: boolean } {
    if (data.type === "message_start" && isJsonObject(data.message)) this.addAnthropicUsage(data.message.usage);
    else if (data.type === "message_delta") this.addAnthropicUsage(data.usage);
    else if (data.type === "content_block_start" && isJsonObject(data.content_block)) {
      const block = data.content_block;
      if (block.type === "tool_use" && typeof block.id === "string") this.toolCallIds.push(block.id);
    } else if (data.type === "content_block_delta" && isJsonObject(data.delta)) {
      const d = data.delta;
      this.outputChars += textLength(d.text) + textLength(d.partial_json) + textLength(d.thinking);
    }
    return { usageOnly: false };
  }

  /**
   * Anthropic reports input and cache counts in message_start and the output
   * count (cumulative) in message_delta; newer servers repeat the input
   * counts there. The latest figure of each field wins.
   */
  private addAnthropicUsage(raw: unknown): void {
    if (!isJsonObject(raw)) return;
    const prev = this.usage ?? { inputTokens: 0, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0 };
    const fresh = count(raw.input_tokens);
    const read = count(raw.cache_read_input_tokens);
    const write = count(raw.cache_creation_input_tokens);
    const cachedTokens = read ?? prev.cachedTokens;
    const cacheWriteTokens = write ?? prev.cacheWriteTokens;
    const uncached = fresh ?? prev.inputTokens - prev.cachedTokens - prev.cacheWriteTokens;
    this.usage = {
      inputTokens: uncached + cachedTokens + cacheWriteTokens,
      outputTokens: count(raw.output_tokens) ?? prev.outputTokens,
      cachedTokens,
      cacheWriteTokens,
    };
  }

  private openaiChunk(data: Json): { usageOnly: boolean } {
    if (data.usage) this.setOpenaiUsage(data.usage);
    const choices = asList(data.choices);
    for (const c of choices) {
      const delta = isJsonObject(c.delta) ? c.delta : {};
      for (const call of asList(delta.tool_calls))
        if (typeof call.id === "string" && call.id) this.toolCallIds.push(call.id);
      this.outputChars += textLength(delta.content) + textLength(delta.reasoning_content);
      for (const call of asList(delta.tool_calls))
        if (isJsonObject(call.function)) this.outputChars += textLength(call.function.arguments);
    }
    return { usageOnly: Array.isArray(data.choices) && choices.length === 0 && isJsonObject(data.usage) };
  }

  private setOpenaiUsage(raw: unknown): void {
    if (!isJsonObject(raw)) return;
    const details = isJsonObject(raw.prompt_tokens_details) ? raw.prompt_tokens_details : {};
    this.usage = {
      inputTokens: count(raw.prompt_tokens) ?? 0,
      outputTokens: count(raw.completion_tokens) ?? 0,
      cachedTokens: count(details.cached_tokens) ?? 0,
      cacheWriteTokens: 0,
    };
  }
}

function asList(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}

function count(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
}

function textLength(v: unknown): number {
  return typeof v === "string" ? v.length : 0;
}
