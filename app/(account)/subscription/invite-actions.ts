"use server";

import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { action, plainInvalid } from "@/lib/http/action";
import type { ActionResult } from "@/lib/http/action-result";
import { clientIp } from "@/lib/http/client-ip";
import { INVITE_COOKIE, sightingOf } from "@/lib/referrals";
import { applyInviteCodeFor, attributeFromVisitFor } from "@/lib/referrals/face";

const input = z.object({ code: z.string().trim().min(1).max(32), device: z.string().max(64).optional() });

/** REF-1: a friend's code typed at checkout counts as a visit now and attributes the buyer (REF-3's discount follows). */
export const applyInviteCodeAction = action(
  input,
  async ({ code, device }, { user }): Promise<ActionResult> => {
    const h = await headers();
    const sighting = sightingOf({
      ip: clientIp(h),
      userAgent: h.get("user-agent"),
      acceptLanguage: h.get("accept-language"),
      device,
    });
    const result = await applyInviteCodeFor({ friendId: user.id, code, sighting, now: await appClock().now() });
    if (!result.ok) return { ok: false, error: result.error };
    revalidatePath("/subscription/checkout");
    return { ok: true };
  },
  { invalid: plainInvalid },
);

/**
 * REF-1: an invite-link visit made before signing in (magic-link sign-ups never
 * pass the sign-up form) is attributed when the buyer reaches the checkout.
 * The checkout page calls this after it renders, since a GET render writes nothing.
 * Not through action(): it takes no input and answers `{ changed }`, which the
 * page reads; there is no refusal to map. The session is checked here.
 */
export async function attributeVisitAction(): Promise<{ changed: boolean }> {
  const user = await requireUser();
  const visitId = (await cookies()).get(INVITE_COOKIE)?.value;
  if (!visitId) return { changed: false };
  const h = await headers();
  const sighting = sightingOf({
    ip: clientIp(h),
    userAgent: h.get("user-agent"),
    acceptLanguage: h.get("accept-language"),
  });
  const result = await attributeFromVisitFor({ friendId: user.id, visitId, sighting, now: await appClock().now() });
  return { changed: result?.ok === true };
}
