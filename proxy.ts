import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/config/env";
import { contentSecurityPolicy, cspSettingsOf, newNonce, pageSecurityHeaders } from "@/lib/http/security-headers";

/**
 * Runs before every page (not the API, whose bodies it would otherwise
 * buffer: SEC-3). It gives each page answer its Content-Security-Policy with a
 * fresh nonce (Next reads it from the request's policy and puts it on its own
 * scripts) and the other security headers.
 *
 * It is also the first line of defence for /admin: anyone without an admin
 * session gets the 404 page before any admin code runs. Every admin page,
 * action and route then checks role, ban and session version against the
 * database itself (lib/auth/session.ts, SEC-1), so a demoted admin is
 * refused even with an old token.
 */
export async function proxy(request: NextRequest) {
  const settings = cspSettingsOf(env(), process.env.NODE_ENV);
  const csp = contentSecurityPolicy(newNonce(), settings);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  const path = request.nextUrl.pathname;
  const admin = path === "/admin" || path.startsWith("/admin/");
  const response =
    admin && (await getToken({ req: request }))?.role !== "admin"
      ? NextResponse.rewrite(new URL("/_not-found-admin", request.url), {
          status: 404,
          request: { headers: requestHeaders },
        })
      : NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(pageSecurityHeaders(csp, settings))) response.headers.set(name, value);
  return response;
}

// Pages only: API routes bound their own bodies, and Next's build output and images need no policy.
export const config = { matcher: ["/((?!api/|api$|_next/static|_next/image|favicon.ico).*)"] };
