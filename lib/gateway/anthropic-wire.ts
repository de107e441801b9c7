import { asResponse, type StreamedAnswer } from "../http/streamed-answer";
import { authorize } from "../quota";
import { codingPlanGovernor, type GatewayDeps } from "./call";
import { keyOf, modelCall, modelRequestOf } from "./model-call";
import { likelyTokens, promptText } from "./token-estimate";
import { refusalResponse } from "./wire-errors";

/** POST /api/anthropic/v1/messages: the coding-plan endpoint in Anthropic's messages shape (COMPAT.md), streamed or not. */
export async function anthropicMessages(deps: GatewayDeps, req: Request): Promise<Response> {
  return asResponse(await anthropicMessagesAnswer(deps, req));
}

/** The same, with a streamed answer that the decision server writes straight to its socket. */
export function anthropicMessagesAnswer(deps: GatewayDeps, req: Request): Promise<Response | StreamedAnswer> {
  return modelCall(deps, "anthropic", req, codingPlanGovernor);
}

/** POST /api/anthropic/v1/messages/count_tokens: an estimate for a key with a plan; spends nothing (QUOTA-1). */
export async function anthropicCountTokens(deps: GatewayDeps, req: Request): Promise<Response> {
  const lang = req.headers.get("accept-language");
  const secret = keyOf("anthropic", req.headers);
  if (!secret) return refusalResponse("anthropic", { code: "missing_key" }, lang);
  const who = await authorize(deps.ctx, secret, await deps.now());
  if ("refusal" in who) return refusalResponse("anthropic", who.refusal, lang);
  const parsed = await modelRequestOf("anthropic", req);
  if (parsed instanceof Response) return parsed;
  return Response.json({ input_tokens: likelyTokens(promptText(parsed.body)) });
}
