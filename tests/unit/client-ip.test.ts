import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, isLoopback } from "../../lib/http/client-address";
import { clientIp } from "../../lib/http/client-ip";

describe("client address (SEC-2)", () => {
  it("SEC-2: with no trusted proxy, only the socket counts; X-Forwarded-For is the client's own writing", () => {
    expect(clientAddress("203.0.113.7", "198.51.100.1", 0)).toBe("203.0.113.7");
    expect(clientAddress("::ffff:203.0.113.7", ["198.51.100.1, 10.0.0.1"], 0)).toBe("203.0.113.7");
  });

  it("SEC-2: a rotated X-Forwarded-For never changes the address when no proxy is trusted", () => {
    fc.assert(
      fc.property(fc.option(fc.string()), (xff) => clientAddress("192.0.2.9", xff ?? undefined, 0) === "192.0.2.9"),
    );
  });

  it("SEC-2: with N trusted proxies the client is the N-th entry from the right; what the client wrote to its left is ignored", () => {
    expect(clientAddress("10.0.0.2", "6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.1", 2)).toBe("203.0.113.7");
    fc.assert(
      fc.property(
        fc.array(fc.ipV4(), { maxLength: 5 }),
        fc.ipV4(),
        (spoofed, real) => clientAddress("10.0.0.2", [...spoofed, real].join(", "), 1) === real,
      ),
    );
  });

  it("SEC-2: fewer entries than trusted proxies fall back to the leftmost reported; no header at all falls back to the socket", () => {
    expect(clientAddress("10.0.0.2", "203.0.113.7", 3)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", " , ", 1)).toBe("10.0.0.2");
  });

  it("SEC-2: anything that is not an address is unknown, never passed on", () => {
    expect(clientAddress(undefined, undefined, 0)).toBe("unknown");
    expect(clientAddress("10.0.0.2", "evil'; DROP TABLE users", 1)).toBe("unknown");
    expect(clientAddress("10.0.0.2", "2001:db8::1", 1)).toBe("2001:db8::1");
  });

  it("SEC-4: loopback is 127.0.0.0/8 and ::1, nothing else", () => {
    for (const a of ["127.0.0.1", "127.1.2.3", "::1"]) expect(isLoopback(a)).toBe(true);
    for (const a of ["10.0.0.1", "::ffff:127.0.0.1", "unknown", "0.0.0.0", "127.0.0.1.evil"])
      expect(isLoopback(a)).toBe(false);
  });
});

describe("clientIp", () => {
  it("SEC-2: handlers read only the address our server stamped, never X-Forwarded-For or X-Real-IP", () => {
    expect(
      clientIp(
        new Headers({ [CLIENT_ADDRESS_HEADER]: "203.0.113.7", "x-forwarded-for": "6.6.6.6", "x-real-ip": "6.6.6.6" }),
      ),
    ).toBe("203.0.113.7");
    expect(clientIp({ "X-CodePlan-Client-Address": "203.0.113.7" })).toBe("203.0.113.7");
    expect(clientIp({ "x-forwarded-for": "6.6.6.6", "x-real-ip": "6.6.6.6" })).toBe("unknown");
    expect(clientIp(undefined)).toBe("unknown");
  });
});
