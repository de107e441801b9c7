import { codingPlanGovernor, type GatewayDeps, type Governor } from "./call";
import { modelCall } from "./model-call";

/**
 * POST …/chat/completions in OpenAI's shape (COMPAT.md), streamed or not:
 * governed by the coding plan's quota (the default) or by the pay-as-you-go
 * balance (payg-call.ts).
 */
export function openaiChat(deps: GatewayDeps, req: Request, govern: Governor = codingPlanGovernor): Promise<Response> {
  return modelCall(deps, "openai", req, govern);
}
