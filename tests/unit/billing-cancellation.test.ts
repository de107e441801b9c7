import { describe, expect, it } from "vitest";
import { cancellationWindow } from "../../lib/billing/cancellation-window";

const at = (s: string) => new Date(s);
const DAY = 24 * 3600;

describe("cancellationWindow", () => {
  const renewal = at("2027-03-10T12:00:00Z");

  it("SUB-3: intl (24 h): a cancel at 2027-03-09 12:00:00 is accepted", () => {
    const w = cancellationWindow(renewal, DAY, at("2027-03-09T12:00:00Z"));
    expect(w.allowed).toBe(true);
    expect(w.cutoffAt.toISOString()).toBe("2027-03-09T12:00:00.000Z");
  });

  it("SUB-3: intl (24 h): a cancel at 2027-03-09 12:00:01 is refused and names the 12:00:00 cutoff", () => {
    const w = cancellationWindow(renewal, DAY, at("2027-03-09T12:00:01Z"));
    expect(w.allowed).toBe(false);
    expect(w.cutoffAt.toISOString()).toBe("2027-03-09T12:00:00.000Z");
  });

  it("SUB-3: intl (24 h): one millisecond past the cutoff is already refused", () => {
    expect(cancellationWindow(renewal, DAY, at("2027-03-09T12:00:00.001Z")).allowed).toBe(false);
  });

  it("SUB-3: intl (24 h): well before the cutoff is accepted, after the renewal is refused", () => {
    expect(cancellationWindow(renewal, DAY, at("2027-03-01T00:00:00Z")).allowed).toBe(true);
    expect(cancellationWindow(renewal, DAY, at("2027-03-10T12:00:00Z")).allowed).toBe(false);
  });

  it("SUB-3: cn (3 days): the cutoff is 2027-03-07 12:00:00 UTC", () => {
    const ok = cancellationWindow(renewal, 3 * DAY, at("2027-03-07T12:00:00Z"));
    expect(ok).toEqual({ allowed: true, cutoffAt: at("2027-03-07T12:00:00Z") });
    const late = cancellationWindow(renewal, 3 * DAY, at("2027-03-07T12:00:01Z"));
    expect(late).toEqual({ allowed: false, cutoffAt: at("2027-03-07T12:00:00Z") });
    // A cancel the intl rule would accept is refused under the cn cutoff.
    expect(cancellationWindow(renewal, 3 * DAY, at("2027-03-08T12:00:00Z")).allowed).toBe(false);
  });
});
