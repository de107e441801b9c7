import { CLIENT_ADDRESS_HEADER } from "./client-address";

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function get(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  // Header names are case-insensitive; a hand-built record may use any case.
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : headers[key];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The caller's address as our server stamped it from the socket (and trusted
 * proxies, lib/http/client-address.ts). X-Forwarded-For and X-Real-IP are
 * never read here: the client writes them (SEC-2). Without the stamp (a
 * handler reached some other way) the caller is "unknown", which throttles
 * and fraud rules treat as one shared network rather than a fresh one.
 */
export function clientIp(headers: HeaderSource): string {
  return (get(headers, CLIENT_ADDRESS_HEADER)?.trim() || "unknown").slice(0, 64);
}
