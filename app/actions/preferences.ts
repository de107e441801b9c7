"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { LOCALE_COOKIE, LOCALES, TIME_ZONE_COOKIE, isTimeZone } from "@/lib/i18n/config";
import { savePreferences } from "@/lib/accounts/preferences";
import { appClock } from "@/lib/clock";

const ONE_YEAR = 365 * 24 * 3600;
const localeSchema = z.enum(LOCALES);

export type PreferenceResult = { ok: true } | { ok: false; error: "invalid_input" };

/** The language switcher: a cookie for everyone, and the user's saved choice when signed in. */
export async function setLocale(input: unknown): Promise<PreferenceResult> {
  const parsed = localeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  (await cookies()).set(LOCALE_COOKIE, parsed.data, { path: "/", maxAge: ONE_YEAR, sameSite: "lax" });
  const user = await getCurrentUser();
  if (user) await savePreferences(user.id, { locale: parsed.data }, await appClock().now());
  return { ok: true };
}

/** Sent once by the browser, so dates on the server render in the viewer's zone. */
export async function setTimeZone(input: unknown): Promise<PreferenceResult> {
  if (!isTimeZone(input)) return { ok: false, error: "invalid_input" };
  (await cookies()).set(TIME_ZONE_COOKIE, input, { path: "/", maxAge: ONE_YEAR, sameSite: "lax" });
  const user = await getCurrentUser();
  if (user) await savePreferences(user.id, { timeZone: input }, await appClock().now());
  return { ok: true };
}
