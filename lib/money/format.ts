import { minorDigits, toDecimalString } from "./decimal";

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
