import { Temporal } from "temporal-polyfill";

/**
 * BILL-2's days: a calendar date in a region's business time zone (intl UTC,
 * cn Asia/Shanghai), and the instants it runs between. Pure.
 */
export type Day = string; // YYYY-MM-DD

export function dayOf(at: Date, timeZone: string): Day {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

export function dayBounds(day: Day, timeZone: string): { start: Date; end: Date } {
  const date = Temporal.PlainDate.from(day);
  const start = date.toZonedDateTime({ timeZone }).epochMilliseconds;
  const end = date.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds;
  return { start: new Date(start), end: new Date(end) };
}

export function nextDay(day: Day): Day {
  return Temporal.PlainDate.from(day).add({ days: 1 }).toString();
}

/**
 * The days whose consumption can be rolled up at `now`: from `after` (the
 * last day done; the day of `first` record when none) up to yesterday, and
 * yesterday only once `graceMs` of today have passed, so a call that ended
 * at 23:59:59 and is still being settled is not missed. At most `limit`.
 */
export function dueDays(input: {
  now: Date;
  timeZone: string;
  after: Day | null;
  first: Date | null;
  graceMs: number;
  limit: number;
}): Day[] {
  const today = dayOf(input.now, input.timeZone);
  const lastDone =
    input.now.getTime() - dayBounds(today, input.timeZone).start.getTime() >= input.graceMs
      ? Temporal.PlainDate.from(today).subtract({ days: 1 }).toString()
      : Temporal.PlainDate.from(today).subtract({ days: 2 }).toString();
  let day = input.after ? nextDay(input.after) : input.first ? dayOf(input.first, input.timeZone) : null;
  const out: Day[] = [];
  while (day && day <= lastDone && out.length < input.limit) {
    out.push(day);
    day = nextDay(day);
  }
  return out;
}
