export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "NEXT_LOCALE";
/** Set by the browser (see components/time-zone-cookie.tsx) so the server formats in the viewer's zone. */
export const TIME_ZONE_COOKIE = "tz";

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/**
 * Picks the best supported locale from an Accept-Language header. Tags match by
 * primary language (`zh`, `zh-TW` → zh-CN; `en-GB` → en); `q=0` means "not
 * acceptable" (RFC 9110 §12.5.4).
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const wanted = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { language: tag.trim().toLowerCase().split("-")[0], q: Number.isFinite(weight) ? weight : 0 };
    })
    .filter((w) => w.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { language } of wanted) {
    if (language === "zh") return "zh-CN";
    if (language === "en") return "en";
  }
  return DEFAULT_LOCALE;
}

export function isTimeZone(v: unknown): v is string {
  if (typeof v !== "string" || v.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: v });
    return true;
  } catch {
    return false;
  }
}
