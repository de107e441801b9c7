import { MICRO_DIGITS, microToDecimalString, minorDigits, toDecimalString } from "./decimal";

export { minorDigits };

export function formatMoney(amountMinor: bigint | number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  // Intl formats the exact decimal string, never a float made by division.
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(toDecimalString(BigInt(amountMinor), currency) as unknown as number);
}

/**
 * BILL-1's exact amounts, in micro-units of the minor unit: shown to the
 * micro-unit where it has one ("$0.001234"), to the minor unit where not
 * ("$0.03").
 */
export function formatMoneyMicro(amountMicro: bigint | number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits + MICRO_DIGITS,
  }).format(microToDecimalString(BigInt(amountMicro), currency) as unknown as number);
}
