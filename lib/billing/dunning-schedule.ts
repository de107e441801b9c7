/**
 * SUB-2 dunning, pure: after the n-th failed charge of a renewal (n from 1),
 * the next try is `retryDays[n-1]` days after the renewal was due; once every
 * retry has failed, the subscription lapses. Days are counted from the due
 * time, not from each failure, so a slow processor does not stretch the grace.
 */
export function nextDunningStep(
  dueAt: Date,
  failures: number,
  retryDays: readonly number[],
): { retryAt: Date } | { lapse: true } {
  if (failures < 1) throw new Error("dunning starts at the first failure");
  if (failures > retryDays.length) return { lapse: true };
  return { retryAt: new Date(dueAt.getTime() + retryDays[failures - 1] * 86_400_000) };
}
