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
  return scaled(amountMinor, minorDigits(currency));
}

/** Digits of a micro-unit of the minor unit (BILL-1's exact fees): six below the minor unit. */
export const MICRO_DIGITS = 6;

/**
 * Micro-units of the minor unit as a plain decimal string, exact, with the
 * trailing zeros below the minor unit dropped: 1_234_000 micro-cents is
 * "0.01234", 3_000_000 is "0.03".
 */
export function microToDecimalString(amountMicro: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const full = scaled(amountMicro, digits + MICRO_DIGITS);
  const point = full.indexOf(".");
  if (point < 0) return full;
  let end = full.length;
  while (end > point + 1 + digits && full[end - 1] === "0") end--;
  return full.slice(0, end === point + 1 ? point : end);
}

function scaled(amount: bigint, digits: number): string {
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(digits);
  const fraction = digits ? `.${(abs % scale).toString().padStart(digits, "0")}` : "";
  return `${negative ? "-" : ""}${abs / scale}${fraction}`;
}
