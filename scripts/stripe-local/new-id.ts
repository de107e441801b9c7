import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` random base62 characters (the alphabet Stripe's ids use). */
export function base62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 62 × 4: rejecting the top bytes keeps every character equally likely.
      if (byte >= 248) continue;
      out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A Stripe-style id such as `pi_3Qx…`: the object's prefix, then 24 random base62 characters. */
export function newId(prefix: string): string {
  return `${prefix}_${base62(24)}`;
}
