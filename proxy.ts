import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

/**
 * First line of defence for /admin: anyone without an admin session gets the
 * 404 page before any admin code runs. The admin layout checks the database
 * role again on every request, so a demoted admin is refused even with an old token.
 */
export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request });
  if (token?.role === "admin") return NextResponse.next();
  return NextResponse.rewrite(new URL("/_not-found-admin", request.url), { status: 404 });
}

export const config = { matcher: ["/admin", "/admin/:path*"] };
