import { wallClockAt } from "./calendar";
import type { StockRules } from "./types";

/**
 * SUB-8: a stock day runs from one release (10:00 Asia/Shanghai by default) to
 * the next. Returns the start of the stock day that holds `now` and the next
 * release time.
 */
export function stockDay(now: Date, rules: StockRules): { dayStart: Date; nextRelease: Date } {
  const todayRelease = wallClockAt(now, rules.timeZone, rules.releaseHour, rules.releaseMinute);
  const dayStart =
    todayRelease.getTime() <= now.getTime()
      ? todayRelease
      : wallClockAt(now, rules.timeZone, rules.releaseHour, rules.releaseMinute, -1);
  return { dayStart, nextRelease: wallClockAt(dayStart, rules.timeZone, rules.releaseHour, rules.releaseMinute, 1) };
}
