import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_LOCALE, LOCALES, isLocale, isTimeZone, localeFromAcceptLanguage } from "../../lib/i18n/config";

describe("localeFromAcceptLanguage", () => {
  it("locale: missing header (null, undefined, empty) falls back to en", () => {
    expect(localeFromAcceptLanguage(null)).toBe("en");
    expect(localeFromAcceptLanguage(undefined)).toBe("en");
    expect(localeFromAcceptLanguage("")).toBe("en");
  });

  it("locale: zh-CN, zh-TW, zh-HK, zh-Hant-TW and bare zh all map to zh-CN", () => {
    for (const h of ["zh-CN", "zh-TW", "zh-HK", "zh-Hant-TW", "zh", "ZH-tw"]) {
      expect(localeFromAcceptLanguage(h), h).toBe("zh-CN");
    }
  });

  it("locale: en, en-US and EN-GB map to en", () => {
    for (const h of ["en", "en-US", "EN-GB"]) expect(localeFromAcceptLanguage(h), h).toBe("en");
  });

  it("locale: an unsupported language alone falls back to en", () => {
    expect(localeFromAcceptLanguage("de")).toBe("en");
    expect(localeFromAcceptLanguage("fr-FR, ja;q=0.8")).toBe("en");
    expect(localeFromAcceptLanguage("*")).toBe("en");
  });

  it("locale: the first supported language in header order wins when q-values are equal", () => {
    expect(localeFromAcceptLanguage("en-US,zh-CN")).toBe("en");
    expect(localeFromAcceptLanguage("zh-CN,en-US")).toBe("zh-CN");
  });

  it("locale: a higher q-value wins over header order", () => {
    expect(localeFromAcceptLanguage("en;q=0.1,zh-CN;q=0.9")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("zh;q=0.5,en;q=0.8")).toBe("en");
    expect(localeFromAcceptLanguage("en-US,zh;q=0.9")).toBe("en");
  });

  it("locale: unsupported languages are skipped down to the best supported one", () => {
    expect(localeFromAcceptLanguage("fr;q=1,zh;q=0.5")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("de-DE,de;q=0.9,en;q=0.8,zh;q=0.7")).toBe("en");
  });

  it("locale: whitespace around tags and parameters is tolerated", () => {
    expect(localeFromAcceptLanguage("  de ,  zh-TW ; q=0.7 , en ; q=0.3")).toBe("zh-CN");
  });

  it("locale: an unparseable q-value ranks as 0", () => {
    expect(localeFromAcceptLanguage("zh;q=abc,en;q=0.5")).toBe("en");
    expect(localeFromAcceptLanguage("en;q=,zh;q=0.1")).toBe("zh-CN");
  });

  it("locale: garbage headers fall back to en", () => {
    for (const h of ["garbage;;;,", ",,,", ";q=1", "q=1", "💥", "   "]) {
      expect(localeFromAcceptLanguage(h), JSON.stringify(h)).toBe("en");
    }
  });

  it("locale: any header string yields a supported locale and never throws", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (h) => {
        expect(LOCALES).toContain(localeFromAcceptLanguage(h));
      }),
      { numRuns: 1000 },
    );
  });

  it("locale: DEFAULT_LOCALE is en", () => {
    expect(DEFAULT_LOCALE).toBe("en");
  });
});

describe("isLocale", () => {
  it("locale: isLocale accepts exactly en and zh-CN", () => {
    expect(isLocale("en")).toBe(true);
    expect(isLocale("zh-CN")).toBe(true);
  });

  it("locale: isLocale rejects near misses and non-strings", () => {
    for (const v of ["EN", "zh-cn", "zh", "zh-TW", "en-US", "", " en", undefined, null, 1, {}, ["en"]]) {
      expect(isLocale(v), JSON.stringify(v)).toBe(false);
    }
  });
});

describe("isTimeZone", () => {
  it("time zone: valid IANA zones are accepted", () => {
    for (const tz of ["UTC", "Asia/Shanghai", "Europe/London", "America/Argentina/Buenos_Aires", "Etc/GMT+8"]) {
      expect(isTimeZone(tz), tz).toBe(true);
    }
  });

  it("time zone: invalid strings and non-strings are rejected", () => {
    for (const tz of ["", "Mars/Olympus", "Asia/Shanghai ", "Not a zone", "+25:00", undefined, null, 8, {}]) {
      expect(isTimeZone(tz), JSON.stringify(tz)).toBe(false);
    }
  });

  it("time zone: strings longer than 64 characters are rejected without asking Intl", () => {
    const spy = vi.spyOn(Intl, "DateTimeFormat");
    try {
      expect(isTimeZone("a".repeat(65))).toBe(false);
      expect(isTimeZone("Asia/Shanghai" + "/".repeat(52))).toBe(false); // 65 chars
      expect(isTimeZone("x".repeat(10_000))).toBe(false);
      expect(spy).not.toHaveBeenCalled();
      // A 64-character string is still handed to Intl (and rejected there).
      expect(isTimeZone("a".repeat(64))).toBe(false);
      expect(spy).toHaveBeenCalledTimes(1);
      // The spy passes through: a real zone is still accepted.
      expect(isTimeZone("Asia/Shanghai")).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it("time zone: isTimeZone never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (s) => {
        const r = isTimeZone(s);
        expect(typeof r).toBe("boolean");
        if (s.length > 64) expect(r).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("Accept-Language edge cases", () => {
  it("i18n: q=0 means not acceptable, so 'zh;q=0' does not choose Chinese", () => {
    expect(localeFromAcceptLanguage("zh;q=0,de")).toBe("en");
    expect(localeFromAcceptLanguage("zh;q=0")).toBe("en");
    expect(localeFromAcceptLanguage("zh-CN;q=0, en;q=0.1")).toBe("en");
  });

  it("i18n: tags match by primary language code, not by text prefix", () => {
    expect(localeFromAcceptLanguage("zhx")).toBe("en");
    expect(localeFromAcceptLanguage("enq, zh;q=0.5")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("zh-Hant-TW")).toBe("zh-CN");
    expect(localeFromAcceptLanguage("EN-gb")).toBe("en");
  });
});
