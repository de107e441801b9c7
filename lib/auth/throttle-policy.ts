/**
 * Sign-in throttling, as a pure decision over recent attempts. An attempt is
 * recorded *before* it is judged, so parallel guesses cannot all slip under
 * the limit: the k-th concurrent attempt always sees at least k rows.
 */
export type Attempt = { at: Date; succeeded: boolean };
export type ThrottlePolicy = { maxFailures: number; windowSeconds: number };
export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Failures in the window that came after the latest success. */
export function countingFailures(attempts: Attempt[], now: Date, windowSeconds: number): Date[] {
  const since = now.getTime() - windowSeconds * 1000;
  const sorted = [...attempts].sort((a, b) => a.at.getTime() - b.at.getTime());
  const lastSuccess = sorted.findLastIndex((a) => a.succeeded);
  return sorted
    .slice(lastSuccess + 1)
    .filter((a) => !a.succeeded && a.at.getTime() > since)
    .map((a) => a.at);
}

/**
 * Refuses when more than `limit` failures (the current attempt included) fall
 * in the window. The wait is until enough of them age out of the window.
 */
export function decide(failures: Date[], now: Date, limit: number, windowSeconds: number): ThrottleDecision {
  if (failures.length <= limit) return { allowed: true };
  const sorted = failures.map((d) => d.getTime()).sort((a, b) => a - b);
  // Once the oldest (count - limit) failures expire, the count is back at the limit.
  const expiresAt = sorted[failures.length - limit - 1] + windowSeconds * 1000;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((expiresAt - now.getTime()) / 1000)) };
}
