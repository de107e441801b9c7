import { NextResponse, type NextRequest } from "next/server";
import { getCurrentUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import { clientIp } from "@/lib/http/client-ip";
import { attributeFromVisit, INVITE_COOKIE, INVITE_COOKIE_OPTIONS, recordVisit, sightingOf } from "@/lib/referrals";

/**
 * An invite link (REF-1): records the visit, then sends a newcomer to sign-up
 * with the visit in a cookie, or attributes a signed-in visitor at once and
 * sends them to the plans. An unknown code still lands on sign-up, with a note.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const now = await appClock().now();
  const h = request.headers;
  const sighting = sightingOf({
    ip: clientIp(h),
    userAgent: h.get("user-agent"),
    acceptLanguage: h.get("accept-language"),
  });
  const visit = await recordVisit(db(), { code: code.slice(0, 32), via: "link", sighting, now });
  const to = (path: string) => NextResponse.redirect(new URL(path, request.url), 303);
  if (!visit) return to("/sign-up?invite=invalid");
  const user = await getCurrentUser();
  if (!user) {
    const res = to("/sign-up?invite=yes");
    res.cookies.set(INVITE_COOKIE, visit.id, INVITE_COOKIE_OPTIONS);
    return res;
  }
  const result = await attributeFromVisit(db(), { friendId: user.id, visitId: visit.id, sighting, now });
  return to(`/pricing?invite=${result && !result.ok ? result.error : "applied"}`);
}
