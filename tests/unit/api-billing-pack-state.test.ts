import { describe, expect, it } from "vitest";
import { packState, type PackFacts } from "../../lib/api-billing/user-packs";

const now = new Date("2027-03-01T12:00:00Z");
const paid = new Date("2027-02-01T12:00:00Z");
const expires = new Date("2027-03-03T12:00:00Z");
const pack = (p: Partial<PackFacts>): PackFacts => ({
  activatedAt: paid,
  expiresAt: expires,
  closedAt: null,
  remainingMinor: 500n,
  ...p,
});

describe("BILL-3 a pack's state on the wallet", () => {
  it("BILL-3: a pack whose invoice is not paid yet awaits payment; one whose invoice went void was never paid", () => {
    expect(packState(pack({ activatedAt: null, expiresAt: null }), now)).toBe("awaiting_payment");
    expect(packState(pack({ activatedAt: null, expiresAt: null, closedAt: now, remainingMinor: 0n }), now)).toBe(
      "unpaid",
    );
  });

  it("BILL-3: a paid pack is active while it holds something, used up when it holds nothing", () => {
    expect(packState(pack({}), now)).toBe("active");
    expect(packState(pack({ remainingMinor: 0n }), now)).toBe("used_up");
  });

  it("BILL-3: at its expiry a pack is expired, even before the sweep closes it; closed early, it is closed", () => {
    expect(packState(pack({}), expires)).toBe("expired");
    expect(packState(pack({ closedAt: expires, remainingMinor: 0n }), new Date(expires.getTime() + 1000))).toBe(
      "expired",
    );
    expect(packState(pack({ closedAt: now, remainingMinor: 0n }), now)).toBe("closed");
  });
});
