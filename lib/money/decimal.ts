/**
 * Money is an integer count of the currency's minor unit (cents, fen). The
 * number of minor digits comes from Intl's ISO 4217 data, so zero-decimal
 * currencies (JPY, KRW) format correctly without a hand-kept table.
 */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units as a plain decimal string ("-12.50"), for exports: exact, no locale. */
export function toDecimalString(amountMinor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = amountMinor < 0n;
  const abs = negative ? -amountMinor : amountMinor;
  const scale = 10n ** BigInt(digits);
  const fraction = digits ? `.${(abs % scale).toString().padStart(digits, "0")}` : "";
  return `${negative ? "-" : ""}${abs / scale}${fraction}`;
}
