import { Temporal } from "temporal-polyfill";
import type { Cycle } from "./types";

// Temporal (through its polyfill until Node ships it) does calendar arithmetic
// in a named zone and clamps month ends ("constrain"): Jan 31 + 1 month is
// Feb 28/29, which is exactly SUB-1. Hand-rolled Date maths gets this wrong.
const CYCLE_MONTHS: Record<Cycle, number> = { monthly: 1, quarterly: 3, yearly: 12 };

function zoned(at: Date, timeZone: string) {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(timeZone);
}

/**
 * SUB-1: the end of period n is anchor + n cycles on the region's wall clock,
 * always counted from the anchor (never "previous end + 1 cycle"), so a
 * clamped February does not pull later renewals off the anchor day.
 */
export function periodBoundary(anchor: Date, cycle: Cycle, n: number, timeZone: string): Date {
  return new Date(zoned(anchor, timeZone).add({ months: CYCLE_MONTHS[cycle] * n }).epochMilliseconds);
}

/** The start of the day that contains `at`, on the given wall clock, shifted to hh:mm. */
export function wallClockAt(at: Date, timeZone: string, hour: number, minute: number, dayOffset = 0): Date {
  const z = zoned(at, timeZone)
    .with({ hour, minute, second: 0, millisecond: 0, microsecond: 0, nanosecond: 0 })
    .add({ days: dayOffset });
  return new Date(z.epochMilliseconds);
}
