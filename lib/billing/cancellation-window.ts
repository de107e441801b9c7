/**
 * SUB-3: cancelling (turning auto-renewal off) is accepted while
 * now ≤ renewal − cutoff; the answer always carries the cutoff time so a
 * refusal can name it.
 */
export function cancellationWindow(periodEnd: Date, cutoffSeconds: number, now: Date) {
  const cutoffAt = new Date(periodEnd.getTime() - cutoffSeconds * 1000);
  return { allowed: now.getTime() <= cutoffAt.getTime(), cutoffAt };
}
