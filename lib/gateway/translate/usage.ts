import type { Json } from "../wire";
import { num, obj } from "./json-read";

/**
 * Token counts in each wire's shape. Anthropic counts cached and cache-written
 * input apart from `input_tokens`; OpenAI's `prompt_tokens` includes them, with
 * the cache reads repeated in `prompt_tokens_details.cached_tokens`.
 */
export type Tokens = { input: number; cacheRead: number; cacheCreation: number; output: number };

export const NO_TOKENS: Tokens = { input: 0, cacheRead: 0, cacheCreation: 0, output: 0 };

/** Anthropic usage (message, message_start or the cumulative message_delta counts) over what is known so far. */
export function fromAnthropicUsage(usage: unknown, known: Tokens = NO_TOKENS): Tokens {
  const u = obj(usage);
  return {
    input: num(u.input_tokens) ?? known.input,
    cacheRead: num(u.cache_read_input_tokens) ?? known.cacheRead,
    cacheCreation: num(u.cache_creation_input_tokens) ?? known.cacheCreation,
    output: num(u.output_tokens) ?? known.output,
  };
}

export function fromOpenaiUsage(usage: unknown): Tokens {
  const u = obj(usage);
  const prompt = num(u.prompt_tokens) ?? 0;
  const cached = Math.min(num(obj(u.prompt_tokens_details).cached_tokens) ?? 0, prompt);
  return { input: prompt - cached, cacheRead: cached, cacheCreation: 0, output: num(u.completion_tokens) ?? 0 };
}

export function openaiUsage(t: Tokens): Json {
  const prompt = t.input + t.cacheRead + t.cacheCreation;
  return {
    prompt_tokens: prompt,
    completion_tokens: t.output,
    total_tokens: prompt + t.output,
    prompt_tokens_details: { cached_tokens: t.cacheRead },
  };
}

export function anthropicUsage(t: Tokens): Json {
  return {
    input_tokens: t.input,
    output_tokens: t.output,
    cache_read_input_tokens: t.cacheRead,
    cache_creation_input_tokens: t.cacheCreation,
  };
}
