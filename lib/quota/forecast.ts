/**
 * ALERT-2: when a window would run out at the recent pace. Pure: the uses,
 * the limits and `now` come in, an instant (epoch ms) or null comes out.
 * "Runs out" means the window's use reaches its limit, so the next prompt
 * would be refused. Null when it would not happen before the window resets
 * (a fixed window's end; the rolling window never runs out at a pace whose
 * five hours of use stay under the limit), when nothing is being used, or
 * when the window is already used up (the screens show its reset instead).
 */

export type Use = { at: number; units: number };

/**
 * How far back "the recent pace" looks: for the 5-hour window, the last hour
 * says how a session is going; for the week and the month, the last day
 * evens out work and sleep (an hour's pace held for days would alarm anyone
 * who just sat down to work).
 */
export const PROMPT_PACE_MS = 3600_000;
export const DAY_PACE_MS = 24 * 3600_000;

/** Units per millisecond over the `lookbackMs` before now (uses after now are not counted). */
export function recentRate(uses: readonly Use[], now: number, lookbackMs: number): number {
  let sum = 0;
  for (const u of uses) if (u.at > now - lookbackMs && u.at <= now) sum += u.units;
  return sum / lookbackMs;
}

/** Whole milliseconds until `amount` more units arrive at `rate`; the slack keeps float noise from adding one. */
function msUntil(amount: number, rate: number): number {
  return Math.ceil(amount / rate - 1e-6);
}

/** A fixed window (the week, the MCP month): `used` of `limit` until `endsAt`. */
export function fixedRunOut(
  w: { limit: number; used: number; endsAt: number },
  rate: number,
  now: number,
): number | null {
  const remaining = w.limit - w.used;
  if (remaining <= 0 || rate <= 0) return null;
  const at = now + msUntil(remaining, rate);
  return at < w.endsAt ? at : null;
}

/**
 * The rolling window (QUOTA-2): each use comes back `spanMs` after it was
 * made while new use arrives at `rate`. Between two comebacks the use grows
 * linearly, so the first crossing is found segment by segment. After one
 * span every present use is back and the use settles at rate × span, so a
 * pace that has not run out by then never does.
 */
export function rollingRunOut(
  w: { limit: number; uses: readonly Use[]; spanMs: number },
  rate: number,
  now: number,
): number | null {
  const live = w.uses.filter((u) => u.at > now - w.spanMs && u.at <= now).sort((a, b) => a.at - b.at);
  let level = live.reduce((s, u) => s + u.units, 0);
  if (level >= w.limit || rate <= 0) return null;
  let from = now;
  // A use is back at exactly its time + span (QUOTA-2), so a segment ends just before it.
  const crossing = (end: number, inclusive: boolean): number | null => {
    const at = from + msUntil(w.limit - level, rate);
    return at < end || (inclusive && at === end) ? at : null;
  };
  for (const u of live) {
    const back = u.at + w.spanMs;
    const hit = crossing(back, false);
    if (hit !== null) return hit;
    level += rate * (back - from) - u.units;
    from = back;
  }
  return crossing(now + w.spanMs, true);
}
