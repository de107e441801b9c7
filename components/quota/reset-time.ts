import type { DateTimeFormatOptions } from "next-intl";
import { Temporal } from "temporal-polyfill";

/** The zone the provider's own messages quote reset times in (QUOTA-7: "UTC+8"). */
export const UTC8_ZONE = "Asia/Shanghai";

/** Whether two instants fall on the same calendar day in `timeZone`. */
export function sameDay(a: Date, b: Date, timeZone: string): boolean {
  const day = (d: Date) =>
    Temporal.Instant.fromEpochMilliseconds(d.getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString();
  return day(a) === day(b);
}

/**
 * Options to show a reset time in `timeZone`: the time alone when it is
 * later today there (the usual 5-hour case), the date too otherwise
 * (a weekly or monthly reset days away).
 */
export function resetFormat(at: Date, now: Date, timeZone: string): DateTimeFormatOptions {
  return sameDay(at, now, timeZone)
    ? { timeStyle: "short", timeZone }
    : { dateStyle: "medium", timeStyle: "short", timeZone };
}
