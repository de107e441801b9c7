import { appOrigin } from "./app-url";

// Anything a browser strips or rewrites before it resolves a URL: control characters (tab, newline…),
// DEL, and the backslash, which browsers read as a slash (`/\evil.example` is `//evil.example`).
const UNSAFE_CHARS = /[\u0000-\u001f\u007f\\]/;
// In the path, escapes that decode to the same (`/%2F%2Fevil`, `/%5Cevil`, `/%09/evil`): a proxy or a
// second decoding pass on the way could turn them into a second slash.
const UNSAFE_ESCAPES = /%(2f|5c|[01][0-9a-f]|7f)/i;
const MAX_LENGTH = 2048;

/**
 * SEC-3: `value` when it is a path on this app's own origin (query and hash
 * kept), otherwise `fallback`. Judged the way a browser will judge it: parsed
 * against the app's own URL and compared by origin, after refusing what
 * browsers rewrite first (backslashes, tabs and other control characters,
 * encoded slashes) and anything that is not a plain absolute path (`//host`,
 * `https://…`, `javascript:`). The value itself is returned, not the parsed
 * URL: a normalised `/a/..//evil` would become `//evil`.
 */
export function safeRedirectPath(
  value: string | null | undefined,
  fallback: string,
  origin: string = appOrigin(),
): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || UNSAFE_CHARS.test(value)) return fallback;
  const path = value.split(/[?#]/, 1)[0];
  if (UNSAFE_ESCAPES.test(path)) return fallback;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin || url.pathname.startsWith("//")) return fallback;
  return value;
}
