/**
 * Translation between the gateway's two wires (COMPAT.md), used only when a
 * wire has no model server of its own: Anthropic messages <-> OpenAI chat
 * completions, for requests, answers, streams and errors. Pure functions over
 * the JSON the client and the model server sent; tool-call ids pass unchanged.
 */
export { toOpenaiRequest } from "./to-openai-request";
export { toAnthropicRequest } from "./to-anthropic-request";
export { toOpenaiResponse } from "./to-openai-response";
export { toAnthropicResponse } from "./to-anthropic-response";
export { translateError } from "./errors";
export { createStreamTranslator } from "./stream-translator";
export type { AnswerOptions, StreamOptions, StreamTranslator } from "./types";
