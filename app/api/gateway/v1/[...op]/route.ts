import { NextResponse } from "next/server";
import { decisionApi } from "@/lib/gateway/decision-api";
import { appDecisionDeps } from "@/lib/gateway/deps";

export const dynamic = "force-dynamic";

/**
 * The gateway's decision API (consume, usage, slots/acquire, slots/release) on
 * the app's own port. The same handler also runs in the lean decision server
 * beside the app (DECISION_PORT), which is what a gateway under load should call.
 */
export async function POST(req: Request, { params }: { params: Promise<{ op: string[] }> }) {
  const deps = appDecisionDeps();
  if (!deps) return NextResponse.json({ error: { code: "503", message: "GATEWAY_SECRET is not configured." } }, { status: 503 });
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    body = undefined;
  }
  const answer = await decisionApi(deps, {
    op: (await params).op.join("/"),
    body,
    authorization: req.headers.get("authorization"),
    acceptLanguage: req.headers.get("accept-language"),
  });
  return NextResponse.json(answer.body, { status: answer.status });
}
