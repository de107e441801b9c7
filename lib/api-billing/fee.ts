/**
 * BILL-1: what one pay-as-you-go call costs. Prices are per million tokens in
 * micro-units of the currency's minor unit (USD 0.60 per million tokens is 60
 * cents = 60_000_000 micro-cents), so a price can be finer than a cent. A
 * call's fee is kept in micro-units of the minor unit (`feeMicro`) and never
 * rounded to the minor unit on its own: fees accrue per user (accrual.ts) and
 * the wallet is debited whole minor units as the accrued sum crosses them, so
 * no call is free and no fraction is lost.
 *
 * Tokens: `inputTokens` is the whole prompt as the model reports it, tool-call
 * results included (they are input); `cachedTokens` is the part of it served
 * from the cache, billed at `cachedRatioBps` of the input price (2000 = 1/5).
 */
export type ModelPrice = { inputPerMillionMicro: bigint; outputPerMillionMicro: bigint };
export type CallTokens = { inputTokens: number; outputTokens: number; cachedTokens: number };

const MICRO_PER_MINOR = 1_000_000n;
const TOKENS_PER_PRICE_UNIT = 1_000_000n;
const BPS = 10_000n;
/** Every term is scaled to the same denominator, so the sum is exact. */
const DENOMINATOR = MICRO_PER_MINOR * TOKENS_PER_PRICE_UNIT * BPS;

function tokens(n: number, what: string): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer`);
  return BigInt(n);
}

/** The exact fee as a fraction of a minor unit: numerator over DENOMINATOR. */
export function exactFee(price: ModelPrice, call: CallTokens, cachedRatioBps: number): bigint {
  const input = tokens(call.inputTokens, "inputTokens");
  const cached = tokens(call.cachedTokens, "cachedTokens");
  const output = tokens(call.outputTokens, "outputTokens");
  if (cached > input) throw new RangeError("cachedTokens cannot exceed inputTokens");
  if (!Number.isInteger(cachedRatioBps) || cachedRatioBps < 0 || cachedRatioBps > 10_000)
    throw new RangeError("cached ratio out of range");
  if (price.inputPerMillionMicro < 0n || price.outputPerMillionMicro < 0n) throw new RangeError("negative price");
  return (
    (input - cached) * price.inputPerMillionMicro * BPS +
    cached * price.inputPerMillionMicro * BigInt(cachedRatioBps) +
    output * price.outputPerMillionMicro * BPS
  );
}

/**
 * The call's fee in micro-units of the minor unit: the exact fee, rounded up
 * to a micro-unit. With prices in whole micro-units per token (every catalog
 * price so far) the exact fee is already whole and nothing is rounded; a price
 * finer than that rounds up by less than a millionth of a minor unit, so a
 * call that cost anything costs at least one micro-unit (never free).
 */
export function feeMicroFor(price: ModelPrice, call: CallTokens, cachedRatioBps: number): bigint {
  const exact = exactFee(price, call, cachedRatioBps);
  return (exact + MICRO_DENOMINATOR - 1n) / MICRO_DENOMINATOR;
}

/** exactFee is over DENOMINATOR minor units, so over this many micro-units. */
const MICRO_DENOMINATOR = DENOMINATOR / MICRO_PER_MINOR;
