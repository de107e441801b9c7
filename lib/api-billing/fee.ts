/**
 * BILL-1: what one pay-as-you-go call costs. Prices are per million tokens in
 * micro-units of the currency's minor unit (USD 0.60 per million tokens is 60
 * cents = 60_000_000 micro-cents), so a price can be finer than a cent. The
 * exact fee is kept as an integer fraction and rounded once, half up, to the
 * minor unit: a call worth 0.5 cent or more of a cent costs a cent, less costs
 * nothing.
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
  if (!Number.isInteger(cachedRatioBps) || cachedRatioBps < 0 || cachedRatioBps > 10_000) throw new RangeError("cached ratio out of range");
  if (price.inputPerMillionMicro < 0n || price.outputPerMillionMicro < 0n) throw new RangeError("negative price");
  return (
    (input - cached) * price.inputPerMillionMicro * BPS +
    cached * price.inputPerMillionMicro * BigInt(cachedRatioBps) +
    output * price.outputPerMillionMicro * BPS
  );
}

/** Rounds an exact fee to the minor unit, half up: the one rounding a call's fee gets. */
export function roundFee(exact: bigint): bigint {
  return (exact * 2n + DENOMINATOR) / (DENOMINATOR * 2n);
}

export function feeFor(price: ModelPrice, call: CallTokens, cachedRatioBps: number): bigint {
  return roundFee(exactFee(price, call, cachedRatioBps));
}
