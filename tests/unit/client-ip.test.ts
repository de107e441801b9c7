import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientIp } from "../../lib/http/client-ip";

describe("clientIp", () => {
  it("client ip: the first hop of X-Forwarded-For wins over X-Real-IP (Headers)", () => {
    const h = new Headers({ "x-forwarded-for": " 203.0.113.7 , 10.0.0.1, 10.0.0.2", "x-real-ip": "198.51.100.9" });
    expect(clientIp(h)).toBe("203.0.113.7");
  });

  it("client ip: the first hop of X-Forwarded-For wins over X-Real-IP (plain record)", () => {
    expect(clientIp({ "x-forwarded-for": "203.0.113.7, 10.0.0.1", "x-real-ip": "198.51.100.9" })).toBe("203.0.113.7");
  });

  it("client ip: Headers lookups are case-insensitive", () => {
    expect(clientIp(new Headers({ "X-Forwarded-For": "203.0.113.7" }))).toBe("203.0.113.7");
  });

  it("client ip: a single X-Forwarded-For value is returned trimmed", () => {
    expect(clientIp({ "x-forwarded-for": "  2001:db8::1  " })).toBe("2001:db8::1");
  });

  it("client ip: a repeated header in a plain record uses its first value", () => {
    expect(clientIp({ "x-forwarded-for": ["203.0.113.7, 10.0.0.1", "192.0.2.1"] })).toBe("203.0.113.7");
    expect(clientIp({ "x-real-ip": ["198.51.100.9", "192.0.2.1"] })).toBe("198.51.100.9");
  });

  it("client ip: without X-Forwarded-For, X-Real-IP is used", () => {
    expect(clientIp(new Headers({ "x-real-ip": "198.51.100.9" }))).toBe("198.51.100.9");
    expect(clientIp({ "x-real-ip": "198.51.100.9" })).toBe("198.51.100.9");
  });

  it("client ip: an empty first hop falls back to X-Real-IP", () => {
    expect(clientIp({ "x-forwarded-for": " , 10.0.0.1", "x-real-ip": "198.51.100.9" })).toBe("198.51.100.9");
    expect(clientIp(new Headers({ "x-forwarded-for": "", "x-real-ip": "198.51.100.9" }))).toBe("198.51.100.9");
  });

  it("client ip: no usable header gives unknown", () => {
    expect(clientIp(undefined)).toBe("unknown");
    expect(clientIp(new Headers())).toBe("unknown");
    expect(clientIp({})).toBe("unknown");
    expect(clientIp({ "x-forwarded-for": "", "x-real-ip": "" })).toBe("unknown");
    expect(clientIp({ "x-forwarded-for": [], "x-real-ip": undefined })).toBe("unknown");
  });

  it("client ip: the result is capped at 64 characters", () => {
    const long = "a".repeat(100);
    expect(clientIp({ "x-forwarded-for": long })).toBe("a".repeat(64));
    expect(clientIp(new Headers({ "x-real-ip": long }))).toBe("a".repeat(64));
    expect(clientIp({ "x-forwarded-for": "b".repeat(64) })).toBe("b".repeat(64));
  });

  it("client ip: a Headers object and the same plain record give the same answer, never longer than 64", () => {
    // Headers trims surrounding whitespace from values (as Node's HTTP parser does), so X-Real-IP is drawn without it.
    const forwarded = fc.stringMatching(/^[0-9a-f:., ]{0,100}$/);
    const realIp = fc.stringMatching(/^[0-9a-f:.]{0,100}$/);
    fc.assert(
      fc.property(fc.option(forwarded, { nil: undefined }), fc.option(realIp, { nil: undefined }), (xff, real) => {
        const record: Record<string, string | undefined> = { "x-forwarded-for": xff, "x-real-ip": real };
        const headers = new Headers();
        if (xff !== undefined) headers.set("x-forwarded-for", xff);
        if (real !== undefined) headers.set("x-real-ip", real);
        const fromRecord = clientIp(record);
        expect(clientIp(headers)).toBe(fromRecord);
        expect(fromRecord.length).toBeLessThanOrEqual(64);
        expect(fromRecord.length).toBeGreaterThan(0);
        const first = xff?.split(",")[0].trim();
        expect(fromRecord).toBe((first || real || "unknown").slice(0, 64));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("client ip: header records", () => {
  it("client ip: header names match in any case, and X-Real-IP is trimmed", () => {
    expect(clientIp({ "X-Forwarded-For": "1.1.1.1, 2.2.2.2" })).toBe("1.1.1.1");
    expect(clientIp({ "X-Real-IP": "  198.51.100.9  " })).toBe("198.51.100.9");
  });
});
