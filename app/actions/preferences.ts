"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { LOCALE_COOKIE, LOCALES, TIME_ZONE_COOKIE, isTimeZone } from "@/lib/i18n/config";
import { savePreferences } from "@/lib/accounts/preferences";
import { appClock } from "@/lib/clock";
import { action, plainInvalid } from "@/lib/http/action";

const ONE_YEAR = 365 * 24 * 3600;
const localeSchema = z.enum(LOCALES);
// isTimeZone bounds the name's length itself.
const timeZoneSchema = z.custom<string>(isTimeZone);

export type PreferenceResult = { ok: true } | { ok: false; error: "invalid_input" };

/**
 * The caller is anyone: the cookie is set for every visitor, and the choice is
 * saved only for a signed-in user, whose session is read after the cookie is
 * set (a session problem never costs a visitor their language).
 */
const preferenceOptions = { caller: "anyone" as const, read: (input: unknown) => input, invalid: plainInvalid };

/** The language switcher: a cookie for everyone, and the user's saved choice when signed in. */
export const setLocale = action(
  localeSchema,
  async (locale): Promise<PreferenceResult> => {
    (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: ONE_YEAR, sameSite: "lax" });
    const user = await getCurrentUser();
    if (user) await savePreferences(user.id, { locale }, await appClock().now());
    return { ok: true };
  },
  preferenceOptions,
);

/** Sent once by the browser, so dates on the server render in the viewer's zone. */
export const setTimeZone = action(
  timeZoneSchema,
  async (timeZone): Promise<PreferenceResult> => {
    (await cookies()).set(TIME_ZONE_COOKIE, timeZone, { path: "/", maxAge: ONE_YEAR, sameSite: "lax" });
    const user = await getCurrentUser();
    if (user) await savePreferences(user.id, { timeZone }, await appClock().now());
    return { ok: true };
  },
  preferenceOptions,
);
