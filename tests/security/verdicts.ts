import type { Answer } from "./probe";

/**
 * Statuses that refuse without doing anything. Exact codes and messages are
 * left to the routes (they are being hardened in parallel); the sweep only
 * asks for a refusal of some kind. 409 is Next's "Server Action unavailable"
 * (the admin proxy sends non-admins to a page that has no such action).
 */
export const REFUSAL_STATUSES = new Set([400, 401, 403, 404, 405, 409, 413, 422]);

const toSignIn = (location: string | null) => !!location && /^(https?:\/\/[^/]+)?\/sign-in([?;/]|$)/.test(location);

/** A failure description, or null when the answer is what the attack must get. */
export type Verdict = string | null;

/** Refused: a refusal status, a redirect to sign-in, or an action result `{ ok: false }`; never a 5xx or `{ ok: true }`. */
export function mustRefuse(a: Answer): Verdict {
  if (a.status === 0) return `no answer (${a.note ?? "?"})`;
  if (a.status >= 500) return `server error ${a.status}`;
  if (a.outcome === "ok") return "the action succeeded";
  if (REFUSAL_STATUSES.has(a.status) || toSignIn(a.redirect) || a.outcome === "refused") return null;
  return `not refused (${a.status}${a.redirect ? ` → ${a.redirect}` : ""})`;
}

/** Anything but a server error: for surfaces anyone may use, and for odd input to read-only ones. */
export function mustNotFail(a: Answer): Verdict {
  if (a.status === 0) return `no answer (${a.note ?? "?"})`;
  return a.status >= 500 ? `server error ${a.status}` : null;
}

/**
 * How much of an oversized body may be gone from the client when a refusal
 * comes: the 2 MB sent before the probe pauses for an answer (probe.ts), what
 * the sockets buffer on loopback (4-6 MB seen), and margin.
 * More means the server read the body before it refused, which SEC-3 forbids
 * (credentials first, then a bounded read).
 */
export const UNREAD_MARGIN_BYTES = 16 * 1024 * 1024;

/**
 * Oversized: refused, and answered before the server read more than the
 * sockets buffer (SEC-3). Closing the connection early with no answer the
 * client could read is a refusal too: nothing was read and nothing done.
 */
export function mustRefuseUnread(total: number) {
  return (a: Answer & { sentAtAnswer?: number }): Verdict =>
    (a.status === 0 && a.note?.startsWith("reset") && (a.sentAtAnswer ?? total) < Math.min(total, UNREAD_MARGIN_BYTES)
      ? null
      : mustRefuse(a)) ??
    (a.sentAtAnswer !== undefined && a.sentAtAnswer > Math.min(total, UNREAD_MARGIN_BYTES) - 1
      ? `read ${Math.round(a.sentAtAnswer / 1048576)} of ${Math.round(total / 1048576)} MB before answering ${a.status}`
      : null);
}

/** How an answer reads in the closing table: `401`, `307→/sign-in`, `200 ok:false`, `413@1MB` (body sent when it answered). */
export function short(a: Answer & { sentAtAnswer?: number }): string {
  if (a.sentAtAnswer !== undefined)
    return `${a.status || a.note?.split(" ")[0]}@${Math.round(a.sentAtAnswer / 1048576)}MB`;
  if (a.status === 0) return a.note ?? "none";
  const to = a.redirect ? `→${a.redirect.replace(/^https?:\/\/[^/]+/, "").split(/[?;]/)[0]}` : "";
  const ok = a.outcome === "refused" ? " ok:false" : a.outcome === "ok" ? " ok:true" : "";
  return `${a.status}${to}${ok}`;
}
