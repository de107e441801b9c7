import { Temporal } from "temporal-polyfill";

/**
 * The last `count` days up to and including today, on the viewer's wall
 * clock: from the start of the first day to the start of tomorrow
 * (exclusive), as usageHistory wants its day buckets. Each bound is its own
 * startOfDay, so a day that does not begin at 00:00 (a daylight-saving jump at
 * midnight) still starts where the zone says it does.
 */
export function lastDays(now: Date, timeZone: string, count: number): { from: Date; to: Date } {
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone).startOfDay();
  return {
    from: new Date(today.subtract({ days: count - 1 }).startOfDay().epochMilliseconds),
    to: new Date(today.add({ days: 1 }).startOfDay().epochMilliseconds),
  };
}
