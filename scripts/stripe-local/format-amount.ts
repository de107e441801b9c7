import { ZERO_DECIMAL } from "./currencies";

/** An amount in minor units as people read it ("$12.34"), honouring zero-decimal currencies. */
export function formatAmount(amount: number, currency: string, locale = "en-US"): string {
  const major = ZERO_DECIMAL.has(currency) ? amount : amount / 100;
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() }).format(major);
  } catch {
    return `${major} ${currency.toUpperCase()}`;
  }
}
