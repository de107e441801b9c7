import type { Db } from "../db";
import { balancesOf } from "../ledger/history";
import { quotaContextFor } from "../quota/context";
import { quotaStatus } from "../quota/status";
import { loadPlan } from "../quota/subjects";
import { monthOf, weekOf, type WindowState } from "../quota/windows";
import { poolOf } from "../db/client";
import type { AlertSettings } from "./settings";
import type { Reading, WindowSubject } from "./thresholds";

function windowReading(subject: WindowSubject, windowKey: string, w: WindowState): Reading {
  return { subject, windowKey, percentage: w.percentage, limit: w.limit, used: w.used, resetAt: w.resetAt };
}

/**
 * What one subscriber's windows and balance read now, through the same
 * status function as the usage screen and the read-out API, so an alert
 * never disagrees with what the subscriber sees. A lapsed plan has no windows
 * to watch. Window keys name the subscription too, so a new plan starts fresh.
 */
export async function readingsOf(database: Db, userId: string, settings: AlertSettings, now: Date): Promise<Reading[]> {
  const readings: Reading[] = [];
  const ctx = quotaContextFor(database, null);
  const plan = await loadPlan(poolOf(database), userId);
  if (plan && plan.status !== "expired") {
    const status = await quotaStatus(ctx, plan, now);
    const sub = plan.subscriptionId;
    readings.push(windowReading("five_hour", sub, status.fiveHour));
    if (status.weekly)
      readings.push(windowReading("weekly", `${sub}:${weekOf(plan.orderedAt, now).index}`, status.weekly));
    readings.push(windowReading("monthly", `${sub}:${monthOf(now, ctx.rules.mcpMonthTimeZone).index}`, status.monthly));
  }
  if (settings.lowBalanceMinor !== null && settings.lowBalanceCurrency) {
    const balance = (await balancesOf(database, userId)).find((b) => b.currency === settings.lowBalanceCurrency);
    // What pay-as-you-go can spend: credits, cash and packs together.
    const amountMinor = balance ? balance.creditsMinor + balance.cashMinor + balance.packsMinor : 0n;
    readings.push({ subject: "balance", windowKey: settings.lowBalanceCurrency, amountMinor });
  }
  return readings;
}
