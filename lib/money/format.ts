/**
 * Money is an integer count of the currency's minor unit (cents, fen). The
 * number of minor digits comes from Intl's ISO 4217 data, so zero-decimal
 * currencies (JPY, KRW) format correctly without a hand-kept table.
 */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(amountMinor: bigint | number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  const minor = BigInt(amountMinor);
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const scale = 10n ** BigInt(digits);
  // Build the decimal string from integers, never through a float division.
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(digits, "0");
  const decimal = `${negative ? "-" : ""}${whole}${digits ? `.${fraction}` : ""}`;
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(decimal as unknown as number);
}
