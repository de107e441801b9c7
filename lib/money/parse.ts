import { minorDigits } from "./format";

/**
 * Reads a decimal amount typed by a person ("12", "12.5", "12.50") into minor
 * units, exactly (string arithmetic, never a float). Null when it is not a
 * plain non-negative amount or has more decimals than the currency allows.
 */
export function parseMoney(text: string, currency: string): bigint | null {
  const digits = minorDigits(currency);
  const m = /^(\d{1,12})(?:[.,](\d+))?$/.exec(text.trim());
  if (!m) return null;
  const fraction = m[2] ?? "";
  if (fraction.length > digits) return null;
  return BigInt(m[1]) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, "0") || "0");
}
