import { NextResponse } from "next/server";
import { withApiErrors } from "@/lib/http/api-error";
import { BodyTooLarge, boundedText } from "@/lib/http/bounded-body";
import { DECISION_BODY_LIMIT, decisionApi, secretRefusal, tooLargeAnswer } from "@/lib/gateway/decision-api";
import { appDecisionDeps } from "@/lib/gateway/decision-deps";

export const dynamic = "force-dynamic";

/**
 * The gateway's decision API (consume, usage, slots/acquire, slots/release) on
 * the app's own port. The same handler also runs in the lean decision server
 * beside the app (DECISION_PORT), which is what a gateway under load should call.
 * SEC-3: the secret is checked before a byte of the body is read, and the body is bounded.
 */
export const POST = withApiErrors(async (req: Request, { params }: { params: Promise<{ op: string[] }> }) => {
  const deps = appDecisionDeps();
  if (!deps)
    return NextResponse.json({ error: { code: "503", message: "GATEWAY_SECRET is not configured." } }, { status: 503 });
  const acceptLanguage = req.headers.get("accept-language");
  const authorization = req.headers.get("authorization");
  const refused = secretRefusal(deps, authorization);
  if (refused) return NextResponse.json(refused.body, { status: refused.status });
  let body: unknown;
  try {
    body = JSON.parse(await boundedText(req, DECISION_BODY_LIMIT));
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      const answer = tooLargeAnswer(acceptLanguage);
      return NextResponse.json(answer.body, { status: answer.status });
    }
    body = undefined;
  }
  const answer = await decisionApi(deps, { op: (await params).op.join("/"), body, authorization, acceptLanguage });
  return NextResponse.json(answer.body, { status: answer.status });
});
