import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getCurrentUser } from "../auth/session";
import { isLocale, isTimeZone, localeFromAcceptLanguage, LOCALE_COOKIE, TIME_ZONE_COOKIE, type Locale } from "./config";
import { messagesFor } from "./messages";

/**
 * Locale: the signed-in user's saved choice, else the language cookie, else the
 * browser's Accept-Language. Time zone: the viewer's (a cookie the browser sets), else UTC.
 */
export async function resolveLocale(): Promise<Locale> {
  const user = await getCurrentUser().catch(() => null);
  if (user && isLocale(user.locale)) return user.locale;
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(cookie)) return cookie;
  return localeFromAcceptLanguage((await headers()).get("accept-language"));
}

export default getRequestConfig(async () => {
  const locale = await resolveLocale();
  const tz = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  return {
    locale,
    messages: messagesFor(locale),
    timeZone: isTimeZone(tz) ? tz : "UTC",
  };
});
