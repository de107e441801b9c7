import { codingPlanGovernor, type GatewayDeps, type Governor } from "./call";
import { asResponse, type StreamedAnswer } from "../http/streamed-answer";
import { modelCall } from "./model-call";

/**
 * POST …/chat/completions in OpenAI's shape (COMPAT.md), streamed or not:
 * governed by the coding plan's quota (the default) or by the pay-as-you-go
 * balance (payg-call.ts).
 */
export async function openaiChat(
  deps: GatewayDeps,
  req: Request,
  govern: Governor = codingPlanGovernor,
): Promise<Response> {
  return asResponse(await openaiChatAnswer(deps, req, govern));
}

/** The same, with a streamed answer that the decision server writes straight to its socket. */
export function openaiChatAnswer(
  deps: GatewayDeps,
  req: Request,
  govern: Governor = codingPlanGovernor,
): Promise<Response | StreamedAnswer> {
  return modelCall(deps, "openai", req, govern);
}
