"use server";

import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import type { ActionResult } from "@/lib/http/action-result";
import { clientIp } from "@/lib/http/client-ip";
import { applyInviteCode, attributeFromVisit, INVITE_COOKIE, sightingOf } from "@/lib/referrals";

const input = z.object({ code: z.string().trim().min(1).max(32), device: z.string().max(64).optional() });

/** REF-1: a friend's code typed at checkout counts as a visit now and attributes the buyer (REF-3's discount follows). */
export async function applyInviteCodeAction(_prev: unknown, form: FormData): Promise<ActionResult> {
  const user = await requireUser();
  // The type is the browser's promise only: a hand-made call can pass anything, which is bad input, not a 500.
  if (!(form instanceof FormData)) return { ok: false, error: "invalid_input" };
  const parsed = input.safeParse(Object.fromEntries(form.entries()));
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const h = await headers();
  const sighting = sightingOf({
    ip: clientIp(h),
    userAgent: h.get("user-agent"),
    acceptLanguage: h.get("accept-language"),
    device: parsed.data.device,
  });
  const result = await applyInviteCode(db(), {
    friendId: user.id,
    code: parsed.data.code,
    sighting,
    now: await appClock().now(),
  });
  if (!result.ok) return { ok: false, error: result.error };
  revalidatePath("/subscription/checkout");
  return { ok: true };
}

/**
 * REF-1: an invite-link visit made before signing in (magic-link sign-ups never
 * pass the sign-up form) is attributed when the buyer reaches the checkout.
 * The checkout page calls this after it renders, since a GET render writes nothing.
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
  const result = await attributeFromVisit(db(), { friendId: user.id, visitId, sighting, now: await appClock().now() });
  return { changed: result?.ok === true };
}
