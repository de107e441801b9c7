import type pg from "pg";
import { Temporal } from "temporal-polyfill";

/**
 * KEY-1: when a key's daily pay-as-you-go cap comes back: the next start of
 * the business day in the account's region zone, the day api_reserve counts
 * the key's spend in. Read only when a call was refused, so the hot path
 * pays nothing for it.
 */
export async function keyCapResetAt(pool: pg.Pool, userId: string, now: Date): Promise<Date> {
  const { rows } = await pool.query<{ time_zone: string | null }>({
    name: "api_key_cap_zone",
    text: 'SELECT r."time_zone" FROM "users" u LEFT JOIN "billing_regions" r ON r."region" = u."region" WHERE u."id" = $1',
    values: [userId],
  });
  return nextDayStart(now, rows[0]?.time_zone ?? "UTC");
}

export function nextDayStart(now: Date, timeZone: string): Date {
  const local = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone);
  return new Date(local.startOfDay().add({ days: 1 }).epochMilliseconds);
}
