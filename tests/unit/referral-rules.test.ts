import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyDiscounts } from "../../lib/billing/discount";
import { normalizeCode, looksLikeCode, newCode } from "../../lib/referrals/code";
import { dueForReview, offerOpen, outcomeAtPayment, paidInTime, reviewTimes } from "../../lib/referrals/conditions";
import { networkOf, sightingOf } from "../../lib/referrals/device";
import { maskEmail } from "../../lib/referrals/mask";
import { cashPaidOf, clawbackFor, rewardFor } from "../../lib/referrals/reward";

const t0 = new Date("2027-03-01T10:00:00.000Z");
const plus = (ms: number) => new Date(t0.getTime() + ms);
const H = 3_600_000;

describe("REF-2 conditions at their exact edges", () => {
  it("REF-2: paid 71:59:59 and exactly 72:00:00 after the visit is in time; 72:00:01 is late", () => {
    expect(paidInTime(t0, plus(72 * H - 1000), 72)).toBe(true);
    expect(paidInTime(t0, plus(72 * H), 72)).toBe(true);
    expect(paidInTime(t0, plus(72 * H + 1000), 72)).toBe(false);
    // A payment cannot come before the visit it rests on.
    expect(paidInTime(t0, plus(-1000), 72)).toBe(false);
  });

  it("REF-5: review comes strictly after paid + 24 h (so a refund at exactly 24 h still cancels), issuance by paid + 48 h", () => {
    const { reviewAt, issueBy } = reviewTimes(t0, { reviewAfterHours: 24, issueWithinHours: 48 });
    expect(reviewAt).toEqual(plus(24 * H));
    expect(issueBy).toEqual(plus(48 * H));
    expect(dueForReview(reviewAt, plus(24 * H))).toBe(false);
    expect(dueForReview(reviewAt, plus(24 * H + 1))).toBe(true);
  });

  it("REF-3: the referral offer is open for 72 hours from the visit", () => {
    expect(offerOpen(t0, plus(72 * H), 72)).toBe(true);
    expect(offerOpen(t0, plus(72 * H + 1), 72)).toBe(false);
  });

  it("REF-2: the outcome at payment names the first condition that fails", () => {
    const base = { visitAt: t0, paidAt: plus(H), paidSubscriptionsBefore: 0, attributionHours: 72, rewardMinor: 400n };
    expect(outcomeAtPayment(base)).toBeNull();
    expect(outcomeAtPayment({ ...base, visitAt: null })).toBe("no_link");
    expect(outcomeAtPayment({ ...base, paidSubscriptionsBefore: 1 })).toBe("not_new");
    expect(outcomeAtPayment({ ...base, paidAt: plus(72 * H + 1000) })).toBe("paid_late");
    expect(outcomeAtPayment({ ...base, rewardMinor: 0n })).toBe("no_cash_paid");
  });
});

describe("REF-4 reward arithmetic", () => {
  it("REF-4: the seed's example — price 100, 50 % first order, 10 % referral, 5 of credits → pays 40 → reward 4", () => {
    const { totalMinor, lines } = applyDiscounts(10000n, [
      { kind: "first_order_discount", bps: 5000 },
      { kind: "referral_discount", bps: 1000 },
    ]);
    expect(totalMinor).toBe(4500n);
    expect(lines).toEqual([
      { kind: "first_order_discount", amountMinor: 5000n },
      { kind: "referral_discount", amountMinor: 500n },
    ]);
    const cash = cashPaidOf(totalMinor, [
      { kind: "credits_applied", amountMinor: -500n },
      { kind: "card_charged", amountMinor: 4000n },
    ]);
    expect(cash).toBe(4000n);
    expect(rewardFor(cash, 0n, 1000)).toBe(400n);
  });

  it("REF-4: the reward is rounded down to the minor unit — 10 % of 40.05 is 4.00", () => {
    expect(rewardFor(4005n, 0n, 1000)).toBe(400n);
    expect(rewardFor(4009n, 0n, 1000)).toBe(400n);
    expect(rewardFor(4010n, 0n, 1000)).toBe(401n);
  });

  it("REF-4: refunded money earns nothing; a full refund leaves no reward; the card-minimum excess is not payment", () => {
    expect(rewardFor(4000n, 1000n, 1000)).toBe(300n);
    expect(rewardFor(4000n, 4000n, 1000)).toBe(0n);
    expect(rewardFor(4000n, 5000n, 1000)).toBe(0n);
    // Paid 0.30 of 3.00 from cash, card charged the 0.50 minimum with 0.20 going back to cash: the money part is the total less credits.
    expect(
      cashPaidOf(300n, [
        { kind: "credits_applied", amountMinor: -270n },
        { kind: "card_charged", amountMinor: 50n },
        { kind: "excess_to_cash", amountMinor: 20n },
      ]),
    ).toBe(30n);
    expect(cashPaidOf(300n, [{ kind: "credits_applied", amountMinor: -300n }])).toBe(0n);
  });

  it("REF-4: for any payment, refund and share, the reward is the floor of the share of what stays paid (property, 2,000 runs)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 10000 }),
        (cash, refunded, bps) => {
          const r = rewardFor(cash, refunded, bps);
          const net = cash > refunded ? cash - refunded : 0n;
          expect(r >= 0n).toBe(true);
          expect(r * 10000n <= net * BigInt(bps)).toBe(true);
          expect((r + 1n) * 10000n > net * BigInt(bps)).toBe(true);
          // More refunded never earns more.
          expect(rewardFor(cash, refunded + 1n, bps) <= r).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("REF-5: a clawback never takes more credits than the inviter holds; taken + shortfall is what is owed (property, 2,000 runs)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        (issued, earnedRaw, takenRaw, credits) => {
          const earned = earnedRaw > issued ? issued : earnedRaw;
          const taken = takenRaw > issued - earned ? issued - earned : takenRaw;
          const { takeMinor, shortfallMinor } = clawbackFor({
            issuedMinor: issued,
            earnedNowMinor: earned,
            takenMinor: taken,
            creditsMinor: credits,
          });
          expect(takeMinor >= 0n && shortfallMinor >= 0n).toBe(true);
          expect(takeMinor <= credits).toBe(true);
          expect(takeMinor + shortfallMinor).toBe(issued - earned - taken);
          // Nothing is left short while credits could cover it.
          if (shortfallMinor > 0n) expect(takeMinor).toBe(credits);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("REF-5: a reward of 4.00 taken back from an inviter holding 1.50 takes 1.50 and records 2.50 short", () => {
    expect(clawbackFor({ issuedMinor: 400n, earnedNowMinor: 0n, takenMinor: 0n, creditsMinor: 150n })).toEqual({
      takeMinor: 150n,
      shortfallMinor: 250n,
    });
    expect(clawbackFor({ issuedMinor: 400n, earnedNowMinor: 300n, takenMinor: 0n, creditsMinor: 1000n })).toEqual({
      takeMinor: 100n,
      shortfallMinor: 0n,
    });
    expect(clawbackFor({ issuedMinor: 400n, earnedNowMinor: 300n, takenMinor: 100n, creditsMinor: 1000n })).toEqual({
      takeMinor: 0n,
      shortfallMinor: 0n,
    });
  });
});

describe("REF-1 codes, REF-6 masking, and where a visitor was", () => {
  it("REF-1: codes are 8 characters without look-alikes, and typing is forgiving", () => {
    for (let i = 0; i < 200; i++) expect(looksLikeCode(newCode())).toBe(true);
    expect(normalizeCode(" abcd-2345 ")).toBe("ABCD2345");
    expect(looksLikeCode("ABCD0345")).toBe(false);
    expect(looksLikeCode("ABC")).toBe(false);
  });

  it("REF-6: a friend's e-mail is masked for the inviter", () => {
    expect(maskEmail("alice@example.com")).toBe("al***@example.com");
    expect(maskEmail("b@example.com")).toBe("b***@example.com");
    expect(maskEmail("nonsense")).toBe("***");
  });

  it("REF-5: addresses group by /24 and /64 networks; a browser hash is the device, else the user agent stands in", () => {
    expect(networkOf("203.0.113.77")).toBe("203.0.113.0/24");
    expect(networkOf("::ffff:203.0.113.9")).toBe("203.0.113.0/24");
    expect(networkOf("2001:db8:1:2:3::4")).toBe("2001:db8:1:2::/64");
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkOf("unknown")).toBe("unknown");
    const hash = "a".repeat(64);
    expect(sightingOf({ ip: "203.0.113.5", device: hash }).device).toBe(hash);
    const fallback = sightingOf({ ip: "203.0.113.5", userAgent: "Mozilla/5.0", device: "not a hash" }).device;
    expect(fallback).toMatch(/^ua:[a-f0-9]{32}$/);
    expect(sightingOf({ ip: "203.0.113.5", userAgent: "Mozilla/5.0" }).device).toBe(fallback);
  });
});
