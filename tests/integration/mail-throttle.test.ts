import { describe, expect, it } from "vitest";
import { admitSend, limitsFor, MAIL_LIMITS } from "../../lib/mail/send-throttle";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();
const T0 = new Date("2027-04-01T08:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe("e-mails anyone can make us send are throttled (SEC-2)", () => {
  it("SEC-2: sign-up e-mails to one address: 3 an hour, then refused until the oldest leaves the window", async () => {
    const send = (s: number, net: string) => admitSend(t.db, limitsFor("signUp", "Victim@Example.com", net), at(s));
    for (let i = 0; i < MAIL_LIMITS.signUp.perRecipient; i++)
      expect(await send(i, `203.0.113.${i}/32`)).toEqual({ allowed: true });
    // From a new network each time, still refused: the limit is the recipient's.
    expect(await send(10, "198.51.100.0/24")).toEqual({ allowed: false, retryAfterSeconds: 3590 });
    expect(await send(3600, "198.51.100.0/24")).toEqual({ allowed: true });
  });

  it("SEC-2: one network cannot spray sign-up e-mails at many addresses (MAIL_NETWORK_LIMIT_PER_HOUR, 20 by default)", async () => {
    const results = [];
    for (let i = 0; i < 22; i++)
      results.push(await admitSend(t.db, limitsFor("signUp", `a${i}@example.com`, "192.0.2.0/24"), at(i)));
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
    // The operator's setting is the bound.
    expect((await admitSend(t.db, limitsFor("signUp", "b@example.com", "192.0.2.0/24", 30), at(30))).allowed).toBe(
      true,
    );
  });

  it("SEC-2: 20 sign-in links asked for one address at once: exactly the limit is sent", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        admitSend(t.db, limitsFor("signInLink", "burst@example.com", `100.64.${i}.0/24`), T0),
      ),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(MAIL_LIMITS.signInLink.perRecipient);
  });

  it("SEC-2: a refused send is not counted, so it does not lengthen the wait", async () => {
    const send = (s: number) => admitSend(t.db, limitsFor("signInLink", "patient@example.com", "10.1.0.0/24"), at(s));
    for (let i = 0; i < MAIL_LIMITS.signInLink.perRecipient; i++) await send(i);
    for (let s = 100; s < 3000; s += 500) expect((await send(s)).allowed).toBe(false);
    expect((await send(3600)).allowed).toBe(true);
  });
});
