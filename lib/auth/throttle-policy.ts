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

/**
 * SEC-2, per account: guesses at one account from any number of networks.
 * The first `freeFailures` failures in a row cost nothing; after that each
 * guess must wait `baseDelaySeconds × 2^(failures − freeFailures)` after the
 * previous counted one (capped), so a botnet gets a handful of guesses an
 * hour instead of one per address. Only guesses that were judged count:
 * attempts refused by the throttle do not lengthen the wait, so hammering a
 * victim's account cannot keep its owner out for longer than the cap.
 */
export type AccountPolicy = {
  freeFailures: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  memorySeconds: number;
};

export function accountPolicyOf(policy: ThrottlePolicy): AccountPolicy {
  // Twice the per-network allowance: an owner who mistyped a few times from home and a few more from the office is
  // not slowed down, while guesses from many networks are (one network is already held to `maxFailures`).
  return {
    freeFailures: policy.maxFailures * 2,
    baseDelaySeconds: policy.windowSeconds,
    maxDelaySeconds: 3600,
    memorySeconds: 24 * 3600,
  };
}

/** The wait owed after `failures` counted failures in a row (0 while they are free). */
export function accountDelaySeconds(failures: number, policy: AccountPolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** (failures - policy.freeFailures));
}

/** `failures`: the account's counted failures before this attempt (after its last success, within memory). */
export function accountBackoff(failures: Date[], now: Date, policy: AccountPolicy): ThrottleDecision {
  const delay = accountDelaySeconds(failures.length, policy);
  if (delay === 0) return { allowed: true };
  const until = Math.max(...failures.map((d) => d.getTime())) + delay * 1000;
  return now.getTime() >= until
    ? { allowed: true }
    : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
}
