/**
 * BILL-1: fees accrue exactly, per user and currency, in micro-units of the
 * minor unit (MICRO_PER_MINOR of them make one cent or fen), and the wallet is
 * debited whole minor units as the accrued sum crosses them; what is left
 * below a minor unit (the carry, 0 ≤ carry < MICRO_PER_MINOR) is kept in
 * api_accruals and added to the next call. Pure.
 *
 * The invariant, for a user's calls 1..n in settlement order, with fee_k their
 * micro fees, A_n = fee_1 + … + fee_n and D_n the minor units debited (or,
 * when the balance was spent elsewhere meanwhile, recorded uncollected):
 *
 *   D_n = floor(A_n ÷ MICRO_PER_MINOR), carry_n = A_n − D_n × MICRO_PER_MINOR
 *
 * so at every moment 0 ≤ A_n − D_n × MICRO_PER_MINOR < MICRO_PER_MINOR: the
 * debits never exceed the exact sum and trail it by less than one minor unit.
 * Rounding down (floor) rather than to nearest means nobody pays for a
 * fraction they have not used; the fraction is not given away either, since it
 * stays owed in the carry.
 */
export const MICRO_PER_MINOR = 1_000_000n;

export type Accrued = { dueMinor: bigint; carryMicro: bigint };

/** One call's fee added to the carry: the whole minor units it crosses, and the new carry. */
export function accrue(carryMicro: bigint, feeMicro: bigint): Accrued {
  if (carryMicro < 0n || carryMicro >= MICRO_PER_MINOR) throw new RangeError("carry must be in [0, one minor unit)");
  if (feeMicro < 0n) throw new RangeError("a fee cannot be negative");
  const total = carryMicro + feeMicro;
  return { dueMinor: total / MICRO_PER_MINOR, carryMicro: total % MICRO_PER_MINOR };
}

/**
 * The hold for a call that can cost at most `maxFeeMicro`, on an account
 * whose carry is `carryMicro`: the whole units the carry and the call can
 * add up to, at least one (a call with no money behind it never passes).
 * api_reserve computes the same in SQL, under the user's lock, from the
 * carry it reads there.
 *
 * It covers any debit the call can cause whatever the carry is by then, as
 * floor((c + fee) ÷ M) ≤ ceil(fee ÷ M) for any c < M. And counting the carry
 * keeps what is owed below a minor unit backed by the balance: holds h_i for
 * calls in flight together satisfy Σ h_i ≥ ceil((carry + Σ fee_i) ÷ M), so
 * calls never run on credit, and a balance of one minor unit pays for calls
 * up to exactly one minor unit.
 */
export function holdMinorFor(carryMicro: bigint, maxFeeMicro: bigint): bigint {
  if (maxFeeMicro < 0n || carryMicro < 0n) throw new RangeError("a fee cannot be negative");
  const ceil = (carryMicro + maxFeeMicro + MICRO_PER_MINOR - 1n) / MICRO_PER_MINOR;
  return ceil > 1n ? ceil : 1n;
}
