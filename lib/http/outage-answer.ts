import { randomUUID } from "node:crypto";
import { isLocale, localeFromAcceptLanguage, LOCALE_COOKIE, type Locale } from "../i18n/config";
import { messagesFor } from "../i18n/messages";
import { RETRY_AFTER_SECONDS } from "../db/unavailable";

/**
 * REL-3: what a caller is told while the database is unavailable: 503 with
 * Retry-After, in the caller's own error shape. The model routes answer as
 * their wire does (COMPAT.md), so SDKs retry them; CodePlan's JSON API (the
 * decision API included) with its `{ error: { code, message } }`; a screen
 * with a small page in the viewer's language. Never a stack trace.
 */
export type OutageAnswer = { status: 503; headers: Record<string, string>; body: string };

const API_MESSAGE = "The database is unavailable for a moment. Nothing was changed; please try again shortly.";

type Caller = "anthropic" | "openai" | "api" | "page";

export function callerOf(path: string): Caller {
  if (path.startsWith("/api/anthropic/")) return "anthropic";
  if (path.startsWith("/api/coding/") || path.startsWith("/api/paas/")) return "openai";
  if (path.startsWith("/api/")) return "api";
  return "page";
}

export function outageAnswer(
  path: string,
  acceptLanguage: string | null | undefined,
  cookieHeader?: string | null,
): OutageAnswer {
  const headers = { "retry-after": String(RETRY_AFTER_SECONDS), "cache-control": "no-store" };
  const json = (body: unknown, extra: Record<string, string> = {}): OutageAnswer => ({
    status: 503,
    headers: { ...headers, ...extra, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  switch (callerOf(path)) {
    case "openai":
      return json({ error: { code: "503", type: "service_unavailable", message: API_MESSAGE } });
    case "anthropic": {
      const id = `req_${randomUUID().replace(/-/g, "")}`;
      return json(
        { type: "error", error: { type: "api_error", message: API_MESSAGE }, request_id: id },
        { "request-id": id },
      );
    }
    case "api":
      return json({ error: { code: "database_unavailable", message: API_MESSAGE } });
    case "page":
      return {
        status: 503,
        headers: { ...headers, "content-type": "text/html; charset=utf-8" },
        body: outagePage(localeOf(acceptLanguage, cookieHeader)),
      };
  }
}

/** The viewer's language without the database: the language cookie, else Accept-Language. */
function localeOf(acceptLanguage: string | null | undefined, cookieHeader: string | null | undefined): Locale {
  const cookie = cookieHeader
    ?.split(";")
    .map((c) => c.trim().split("="))
    .find(([name]) => name === LOCALE_COOKIE)?.[1];
  return isLocale(cookie) ? cookie : localeFromAcceptLanguage(acceptLanguage ?? null);
}

/** A self-contained page (no scripts, no assets): it must render with nothing else of the app working. */
function outagePage(locale: Locale): string {
  const t = messagesFor(locale).errors;
  return `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.unavailableTitle} · CodePlan</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:2rem 1rem;color:#0f172a}main{max-width:28rem;margin:0 auto;text-align:center}a{display:inline-block;margin-top:1rem;padding:.5rem 1rem;background:#1d4ed8;color:#fff;border-radius:.375rem;text-decoration:none}</style>
</head><body><main role="alert"><h1>${t.unavailableTitle}</h1><p>${t.unavailableBody}</p><a href="">${t.unavailableRetry}</a></main></body></html>`;
}
