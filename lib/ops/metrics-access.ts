import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Who may read /metrics: only a caller with `Authorization: Bearer <METRICS_TOKEN>`.
 * Without a configured token the endpoint does not exist (404), so a
 * deployment that never asked for metrics shows none. The comparison is
 * constant-time over SHA-256 digests (equal lengths whatever was sent), so
 * the answer's timing says nothing about how much of a guess was right.
 */
export function metricsAccess(token: string | undefined, authorization: string | null | undefined): "ok" | 401 | 404 {
  if (!token) return 404;
  const sent = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "")?.[1]?.trim();
  if (!sent) return 401;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(sent), digest(token)) ? "ok" : 401;
}
