import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { withApiErrors } from "@/lib/http/api-error";
import { clientIp } from "@/lib/http/client-ip";
import { INVITE_COOKIE, INVITE_COOKIE_OPTIONS, sightingOf } from "@/lib/referrals";
import { attributeFromVisitFor, recordLinkVisit } from "@/lib/referrals/face";

/**
 * An invite link (REF-1): records the visit, then sends a newcomer to sign-up
 * with the visit in a cookie, or attributes a signed-in visitor at once and
 * sends them to the plans. An unknown code still lands on sign-up, with a note.
 */
export const GET = withApiErrors(async (request: Request, { params }: { params: Promise<{ code: string }> }) => {
  const { code } = await params;
  const now = await appClock().now();
  const h = request.headers;
  const sighting = sightingOf({
    ip: clientIp(h),
    userAgent: h.get("user-agent"),
    acceptLanguage: h.get("accept-language"),
  });
  const visit = await recordLinkVisit({ code: code.slice(0, 32), via: "link", sighting, now });
  const to = (path: string) => NextResponse.redirect(new URL(path, request.url), 303);
  if (!visit) return to("/sign-up?invite=invalid");
  const user = await getCurrentUser();
  if (!user) {
    const res = to("/sign-up?invite=yes");
    res.cookies.set(INVITE_COOKIE, visit.id, INVITE_COOKIE_OPTIONS);
    return res;
  }
  const result = await attributeFromVisitFor({ friendId: user.id, visitId: visit.id, sighting, now });
  return to(`/pricing?invite=${result && !result.ok ? result.error : "applied"}`);
});
