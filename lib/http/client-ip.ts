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
 * The caller's address: the first hop of X-Forwarded-For (set by Next's server
 * or the load balancer in front of it), else X-Real-IP.
 */
export function clientIp(headers: HeaderSource): string {
  const forwarded = get(headers, "x-forwarded-for")?.split(",")[0]?.trim();
  return (forwarded || get(headers, "x-real-ip")?.trim() || "unknown").slice(0, 64);
}
