import { NextResponse } from "next/server";
import { withApiErrors, DomainError } from "@/lib/http/api-error";
import { databaseUp } from "@/lib/ops/face";

export const dynamic = "force-dynamic";

// For load balancers and the start script: up only when the database answers.
export const GET = withApiErrors(async () => {
  if (!(await databaseUp())) throw new DomainError("database_unavailable", "The database does not answer.", 503);
  return NextResponse.json({ status: "ok" });
});
