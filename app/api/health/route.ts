import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { withApiErrors, DomainError } from "@/lib/http/api-error";

export const dynamic = "force-dynamic";

// For load balancers and the start script: up only when the database answers.
export const GET = withApiErrors(async () => {
  const ok = await db().$queryRaw`SELECT 1`.then(() => true).catch(() => false);
  if (!ok) throw new DomainError("database_unavailable", "The database does not answer.", 503);
  return NextResponse.json({ status: "ok" });
});
