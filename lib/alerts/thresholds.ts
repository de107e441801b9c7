/**
 * ALERT-1's pure core: given what each window and balance reads now and which
 * alerts are open, which thresholds fire and which resolve. A window alert
 * resolves when its window resets — a new week or month, or, for the rolling
 * 5 hours, use falling back under the threshold as old prompts come back —
 * and may then fire again. A balance alert resolves when the balance is back
 * at or above its threshold.
 */

export const WINDOW_SUBJECTS = ["five_hour", "weekly", "monthly"] as const;
export type WindowSubject = (typeof WINDOW_SUBJECTS)[number];
export type AlertSubject = WindowSubject | "balance";

/** One thing to watch as it reads now: a window's percentage, or a balance in minor units. */
export type Reading =
  | { subject: WindowSubject; windowKey: string; percentage: number; limit: number; used: number; resetAt?: Date }
  | { subject: "balance"; windowKey: string; amountMinor: bigint };

export type Thresholds = {
  five_hour: number[];
  weekly: number[];
  monthly: number[];
  lowBalanceMinor: bigint | null;
  lowBalanceCurrency: string | null;
};

export type OpenState = { id: string; subject: AlertSubject; threshold: bigint; windowKey: string };

export type Transition =
  | { kind: "fire"; subject: AlertSubject; threshold: bigint; windowKey: string; reading: Reading }
  | { kind: "resolve"; state: OpenState; reading: Reading | null; silent: boolean };

function wanted(thresholds: Thresholds, subject: AlertSubject, windowKey: string): bigint[] {
  if (subject !== "balance") return thresholds[subject].map(BigInt);
  return thresholds.lowBalanceMinor !== null && thresholds.lowBalanceCurrency === windowKey
    ? [thresholds.lowBalanceMinor]
    : [];
}

function crossed(reading: Reading, threshold: bigint): boolean {
  return reading.subject === "balance" ? reading.amountMinor < threshold : BigInt(reading.percentage) >= threshold;
}

function reset(state: OpenState, reading: Reading): boolean {
  if (state.windowKey !== reading.windowKey) return true;
  // Only the rolling window and a balance recover inside the same key.
  if (reading.subject === "five_hour" || reading.subject === "balance") return !crossed(reading, state.threshold);
  return false;
}

export function transitions(readings: Reading[], thresholds: Thresholds, open: OpenState[]): Transition[] {
  const out: Transition[] = [];
  const stillOpen = new Set<string>();
  for (const state of open) {
    const reading = readings.find(
      (r) => r.subject === state.subject && (r.subject !== "balance" || r.windowKey === state.windowKey),
    );
    // A threshold the subscriber removed, or a currency they stopped watching, closes without telling anyone.
    if (!wanted(thresholds, state.subject, state.windowKey).includes(state.threshold)) {
      out.push({ kind: "resolve", state, reading: reading ?? null, silent: true });
      continue;
    }
    if (reading && reset(state, reading)) out.push({ kind: "resolve", state, reading, silent: false });
    else stillOpen.add(`${state.subject}:${state.threshold}`);
  }
  for (const reading of readings) {
    for (const threshold of wanted(thresholds, reading.subject, reading.windowKey)) {
      if (stillOpen.has(`${reading.subject}:${threshold}`)) continue;
      if (crossed(reading, threshold))
        out.push({ kind: "fire", subject: reading.subject, threshold, windowKey: reading.windowKey, reading });
    }
  }
  return out;
}
