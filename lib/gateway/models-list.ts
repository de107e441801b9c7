import { authorize, modelsForTier } from "../quota";
import type { GatewayDeps } from "./call";
import { keyOf } from "./model-call";
import { refusalResponse } from "./wire-errors";

/** GET /api/coding/paas/v4/models: the models the key's tier may call, in OpenAI's list shape (QUOTA-5); spends nothing. */
export async function openaiModels(deps: GatewayDeps, req: Request): Promise<Response> {
  const lang = req.headers.get("accept-language");
  const secret = keyOf("openai", req.headers);
  if (!secret) return refusalResponse("openai", { code: "missing_key" }, lang);
  const who = await authorize(deps.ctx, secret, await deps.now());
  if ("refusal" in who) return refusalResponse("openai", who.refusal, lang);
  const created = Math.floor(who.plan.orderedAt.getTime() / 1000);
  return Response.json({
    object: "list",
    data: modelsForTier(deps.ctx.rules, who.plan.tier).map((m) => ({
      id: m.id,
      object: "model",
      created,
      owned_by: "codeplan",
    })),
  });
}
