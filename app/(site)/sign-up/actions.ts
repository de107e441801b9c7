"use server";

import { cookies, headers } from "next/headers";
import { z } from "zod";
import { signUpSchema } from "@/lib/auth/schemas";
import { signUp } from "@/lib/auth/users";
import { appClock } from "@/lib/clock";
import { db } from "@/lib/db";
import { clientIp } from "@/lib/http/client-ip";
import { fieldErrorsOf, type ActionResult } from "@/lib/http/action-result";
import { attributeFromVisit, INVITE_COOKIE, recordSighting, sightingOf } from "@/lib/referrals";

const deviceField = z.object({ device: z.string().max(64).optional() });

export async function signUpAction(input: unknown): Promise<ActionResult> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorsOf(parsed.error) };
  const h = await headers();
  const now = await appClock().now();
  const ip = clientIp(h);
  const result = await signUp(db(), parsed.data, { now, ip });
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: { email: result.error } };
  // Where the account was made, for the referral fraud rules; and the invite link it came through, if any (REF-1).
  const sighting = sightingOf({ ip, userAgent: h.get("user-agent"), acceptLanguage: h.get("accept-language"), device: deviceField.safeParse(input).data?.device });
  await db().$transaction((tx) => recordSighting(tx, result.user.id, sighting, now));
  const jar = await cookies();
  const attributed = await attributeFromVisit(db(), { friendId: result.user.id, visitId: jar.get(INVITE_COOKIE)?.value, sighting, now });
  if (attributed?.ok) jar.delete(INVITE_COOKIE);
  return { ok: true };
}
