import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { apiError, withApiErrors } from "@/lib/http/api-error";
import { BodyTooLarge, boundedText } from "@/lib/http/bounded-body";

const nextAuth = NextAuth(authOptions);

// SEC-3: a sign-in form or a CSRF token is a few hundred bytes; anything past this is refused unread.
const AUTH_BODY_LIMIT = 16 * 1024;

/** next-auth reads the whole body itself, so it is read here first, bounded, and handed over. */
const POST = withApiErrors(async (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => {
  let body: string;
  try {
    body = await boundedText(req, AUTH_BODY_LIMIT);
  } catch (e) {
    if (e instanceof BodyTooLarge) return apiError(413, "request_too_large", "The request body is too large.");
    throw e;
  }
  const headers = new Headers(req.headers);
  headers.delete("content-length");
  return nextAuth(new NextRequest(req.url, { method: "POST", headers, body }), ctx);
});
const handler = withApiErrors(nextAuth);

export { handler as GET, POST };
