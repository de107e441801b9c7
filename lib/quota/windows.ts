import { Temporal } from "temporal-polyfill";
import type { ModelEntry, ModelRules } from "./models";

/**
 * The window arithmetic of QUOTA-2..6, as pure functions of the moment asked
 * about. The database only counts and compares (quota_consume); every
 * boundary it is given comes from here.
 */

export const FIVE_HOURS_MS = 5 * 3600_000;
export const WEEK_MS = 7 * 24 * 3600_000;

/**
 * QUOTA-2: when the oldest counted unit comes back (nextResetTime of the rolling window):
 * a unit consumed at `at` counts while now < at + 5 h (quota_consume, quotaStatus), and is back at exactly at + 5 h.
 */
export function fiveHourReset(oldestCounted: Date): Date {
  return new Date(oldestCounted.getTime() + FIVE_HOURS_MS);
}

export type Span = { index: number; start: Date; end: Date };

/**
 * QUOTA-3: week k is [anchor + 7k days, anchor + 7(k+1) days), counted in
 * exact 7-day spans from the first order time (not calendar weeks: no zone,
 * no daylight-saving shift). Before the anchor (never, but total) is week -1.
 */
export function weekOf(anchor: Date, now: Date): Span {
  const index = Math.floor((now.getTime() - anchor.getTime()) / WEEK_MS);
  const start = new Date(anchor.getTime() + index * WEEK_MS);
  return { index, start, end: new Date(start.getTime() + WEEK_MS) };
}

/**
 * QUOTA-4: the MCP month is the calendar month in the configured zone
 * (Asia/Shanghai). `index` is yyyymm, the key the counter row stores.
 */
export function monthOf(now: Date, timeZone: string): Span {
  // Calendar arithmetic in a zone is slow next to a decision's database round
  // trip, and the answer holds for a month: keep the last one per zone.
  const last = lastMonth.get(timeZone);
  if (last && last.start.getTime() <= now.getTime() && now.getTime() < last.end.getTime()) return last;
  const span = computeMonth(now, timeZone);
  lastMonth.set(timeZone, span);
  return span;
}

const lastMonth = new Map<string, Span>();

function computeMonth(now: Date, timeZone: string): Span {
  const local = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone);
  const first = local.with({ day: 1 }).startOfDay();
  return {
    index: local.year * 100 + local.month,
    start: new Date(first.epochMilliseconds),
    end: new Date(first.add({ months: 1 }).epochMilliseconds),
  };
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

/** QUOTA-6: from ≤ local time < to, judged at the moment of consumption. */
export function isPeak(now: Date, peak: ModelRules["peak"]): boolean {
  // Peak bounds are whole minutes, so the answer holds for the whole minute: keep the last one.
  const minuteIndex = Math.floor(now.getTime() / 60_000);
  if (lastPeak && lastPeak.rules === peak && lastPeak.minute === minuteIndex) return lastPeak.peak;
  const local = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(peak.timeZone);
  const minute = local.hour * 60 + local.minute;
  const answer = minute >= minutesOf(peak.from) && minute < minutesOf(peak.to);
  lastPeak = { rules: peak, minute: minuteIndex, peak: answer };
  return answer;
}

let lastPeak: { rules: ModelRules["peak"]; minute: number; peak: boolean } | null = null;

/** QUOTA-6: what one prompt on this model costs now (GLM-5: 3 at peak, 2 off-peak). */
export function promptCost(model: ModelEntry, now: Date, peak: ModelRules["peak"]): number {
  return isPeak(now, peak) ? model.peakCost : model.offPeakCost;
}

export type WindowState = {
  limit: number;
  used: number;
  remaining: number;
  /** used / limit × 100, rounded down and at most 100 (COMPAT.md: 100 means used up). */
  percentage: number;
  /** When used quota next comes back; absent when nothing in the window is used. */
  resetAt?: Date;
};

/**
 * One window as the screens and COMPAT.md show it. A downgrade can leave more
 * used than the new limit allows: remaining stops at 0 and the percentage at 100.
 */
export function windowState(limit: number, used: number, resetAt: Date | null): WindowState {
  const state: WindowState = {
    limit,
    used,
    remaining: Math.max(0, limit - used),
    percentage: limit > 0 ? Math.min(100, Math.floor((used * 100) / limit)) : 100,
  };
  if (used > 0 && resetAt) state.resetAt = resetAt;
  return state;
}
