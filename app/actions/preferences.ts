"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { LOCALE_COOKIE, LOCALES, TIME_ZONE_COOKIE, isTimeZone } from "@/lib/i18n/config";
import { savePreferences, type Preferences } from "@/lib/accounts/preferences";
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

/** One preference: a cookie for every visitor, and the user's saved choice when signed in. */
function preference<K extends keyof Preferences>(
  schema: z.ZodType<NonNullable<Preferences[K]>>,
  cookie: string,
  field: K,
) {
  return action(
    schema,
    async (value): Promise<PreferenceResult> => {
      (await cookies()).set(cookie, value, { path: "/", maxAge: ONE_YEAR, sameSite: "lax" });
      const user = await getCurrentUser();
      if (user) await savePreferences(user.id, { [field]: value }, await appClock().now());
      return { ok: true };
    },
    preferenceOptions,
  );
}

/** The language switcher. */
export const setLocale = preference(localeSchema, LOCALE_COOKIE, "locale");

/** Sent once by the browser, so dates on the server render in the viewer's zone. */
export const setTimeZone = preference(timeZoneSchema, TIME_ZONE_COOKIE, "timeZone");
