/** Why an answer ended, in each wire's words. */

export function toFinishReason(stopReason: unknown): string {
  switch (stopReason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      // end_turn, stop_sequence, pause_turn, and a missing reason on a stream that was cut.
      return "stop";
  }
}

/**
 * `hadToolCalls` because some OpenAI-compatible servers answer tool calls with
 * finish_reason "stop"; an Anthropic client runs the tools on "tool_use".
 */
export function toStopReason(finishReason: unknown, hadToolCalls: boolean): string {
  if (hadToolCalls && (finishReason === "stop" || finishReason == null)) return "tool_use";
  switch (finishReason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}
