import { seeded } from "../chaos/prng";

/**
 * `samples` ranks in [0, n) drawn from a Zipf distribution with exponent s:
 * rank k is chosen with probability proportional to 1 / (k + 1)^s, so at
 * s = 1 the hottest of 1,000 keys takes about 13 % of the calls and at s = 2
 * about 61 %. Seeded, so two runs load the same keys.
 */
export function zipfRanks(n: number, s: number, samples: number, seed = 1): number[] {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cdf[k] = total += 1 / (k + 1) ** s;
  const rng = seeded(seed);
  return Array.from({ length: samples }, () => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}
