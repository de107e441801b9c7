import { appClock } from "../clock";
import { db } from "../db";
import { outcomeTally, type OutcomeTally } from "./outcomes";

// One tally per process, kept on globalThis so that Next's module copies (route bundles) share it.
const g = globalThis as typeof globalThis & { __codeplanOutcomes?: OutcomeTally };

/** The running app's tally of gateway outcomes. */
export function appOutcomes(): OutcomeTally {
  g.__codeplanOutcomes ??= outcomeTally(db, () => appClock().now());
  return g.__codeplanOutcomes;
}
