import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixedRunOut, recentRate, rollingRunOut, type Use } from "@/lib/quota/forecast";

const H = 3600_000;
const SPAN = 5 * H;
const now = Date.UTC(2027, 2, 1, 12, 0, 0);

describe("ALERT-2 forecast", () => {
  it("ALERT-2: 40 prompts in the last hour of an 80-prompt window with 40 used run out in one hour", () => {
    const uses: Use[] = Array.from({ length: 40 }, (_, i) => ({ at: now - H + (i + 1) * 90_000, units: 1 }));
    const rate = recentRate(uses, now, H);
    expect(rate * H).toBe(40);
    expect(rollingRunOut({ limit: 80, uses, spanMs: SPAN }, rate, now)).toBe(now + H);
  });

  it("ALERT-2: a pace whose five hours stay under the limit never runs out the rolling window", () => {
    const uses: Use[] = [{ at: now - 30 * 60_000, units: 10 }];
    const rate = recentRate(uses, now, H); // 10 an hour: 50 in 5 hours < 80
    expect(rollingRunOut({ limit: 80, uses, spanMs: SPAN }, rate, now)).toBeNull();
  });

  it("ALERT-2: a week that resets before the pace uses it up shows nothing; one that would not, shows when", () => {
    expect(fixedRunOut({ limit: 400, used: 100, endsAt: now + 2 * H }, 10 / H, now)).toBeNull();
    expect(fixedRunOut({ limit: 400, used: 100, endsAt: now + 48 * H }, 10 / H, now)).toBe(now + 30 * H);
  });

  it("ALERT-2: nothing used recently or already used up: no forecast", () => {
    expect(fixedRunOut({ limit: 10, used: 3, endsAt: now + H }, 0, now)).toBeNull();
    expect(fixedRunOut({ limit: 10, used: 10, endsAt: now + H }, 1, now)).toBeNull();
    expect(rollingRunOut({ limit: 5, uses: [{ at: now - 1, units: 5 }], spanMs: SPAN }, 1, now)).toBeNull();
  });

  const usesArb = fc.array(
    fc.record({ at: fc.integer({ min: now - SPAN + 1, max: now }), units: fc.integer({ min: 1, max: 3 }) }),
    { maxLength: 40 },
  );
  const rateArb = fc.integer({ min: 0, max: 400 }).map((n) => n / H);

  // The reference: the rolling window's use at `t` (now < t <= now + 5 h) if the pace held: what is still live plus what arrived since.
  const levelAt = (uses: Use[], rate: number, t: number) =>
    uses.filter((u) => u.at + SPAN > t).reduce((s, u) => s + u.units, 0) + rate * (t - now);

  it("ALERT-2 (property): the rolling forecast is the first millisecond the reference use reaches the limit within five hours", () => {
    fc.assert(
      fc.property(usesArb, rateArb, fc.integer({ min: 1, max: 200 }), (uses, rate, limit) => {
        const at = rollingRunOut({ limit, uses, spanMs: SPAN }, rate, now);
        if (uses.reduce((s, u) => s + u.units, 0) >= limit) {
          expect(at).toBeNull();
          return;
        }
        // The use only falls at a comeback, so it is highest just before each one and at the horizon.
        const peaks = [...uses.map((u) => u.at + SPAN - 1), now + SPAN].filter(
          (t) => t > now && (at === null || t < at),
        );
        for (const t of peaks) expect(levelAt(uses, rate, t)).toBeLessThan(limit + 1e-6);
        if (at === null) return;
        expect(at).toBeGreaterThan(now);
        expect(at).toBeLessThanOrEqual(now + SPAN);
        expect(levelAt(uses, rate, at)).toBeGreaterThanOrEqual(limit - 1e-9);
        expect(levelAt(uses, rate, at - 1)).toBeLessThan(limit + 1e-6);
      }),
    );
  });

  it("ALERT-2 (property): a faster pace never runs a fixed window out later, and the forecast is before the reset", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        rateArb,
        rateArb,
        fc.integer({ min: 1, max: 200 * H }),
        (limit, used, r1, r2, ends) => {
          const w = { limit, used, endsAt: now + ends };
          const [slow, fast] = r1 <= r2 ? [r1, r2] : [r2, r1];
          const a = fixedRunOut(w, slow, now);
          const b = fixedRunOut(w, fast, now);
          if (a !== null) {
            expect(b).not.toBeNull();
            expect(b!).toBeLessThanOrEqual(a);
            expect(a).toBeLessThan(w.endsAt);
            expect(used + slow * (a - now)).toBeGreaterThanOrEqual(limit - 1e-9);
            expect(used + slow * (a - 1 - now)).toBeLessThan(limit + 1e-6);
          }
        },
      ),
    );
  });

  it("ALERT-2 (property): with no use in the window, the rolling window runs out at limit ÷ pace exactly when five hours of that pace reach the limit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), (limit, perHour) => {
        const rate = perHour / H;
        const at = rollingRunOut({ limit, uses: [], spanMs: SPAN }, rate, now);
        if (perHour * 5 >= limit) expect(at).toBe(now + Math.ceil((limit * H) / perHour));
        else expect(at).toBeNull();
      }),
    );
  });
});
