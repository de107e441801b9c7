import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "../../lib/http/safe-redirect";

const ORIGIN = "http://localhost:3000";
const judge = (value: string | null | undefined) => safeRedirectPath(value, "/fallback", ORIGIN);

describe("SEC-3: redirects go only to the app's own origin", () => {
  it.each([
    ["the sign-in finding, a backslash after the slash", "/\\evil.example"],
    ["the payment-return finding, a tab between the slashes (as the query decodes it)", "/\t/evil.example"],
    ["a protocol-relative URL", "//evil.example"],
    ["encoded slashes", "/%2F%2Fevil.example"],
    ["a lower-case encoded slash", "/%2f/evil.example"],
    ["an encoded backslash", "/%5Cevil.example"],
    ["an encoded tab left encoded", "/%09/evil.example"],
    ["two backslashes", "/\\\\evil.example"],
    ["a backslash first", "\\\\evil.example"],
    ["an absolute URL elsewhere", "https://evil.example/"],
    ["an absolute URL on this origin (only paths are taken)", "http://localhost:3000/dashboard"],
    ["javascript:", "javascript:alert(1)"],
    ["javascript: with a leading slash trick", "/javascript:alert(1)//\n"],
    ["a newline", "/dash\nboard"],
    ["a carriage return", "/\r/evil.example"],
    ["a NUL", "/\u0000/evil.example"],
    ["a relative path", "dashboard"],
    ["an empty string", ""],
    ["a very long value", `/${"a".repeat(3000)}`],
  ])("SEC-3: refuses %s", (_name, value) => {
    expect(judge(value)).toBe("/fallback");
  });

  it("SEC-3: refuses nothing given", () => {
    expect(judge(null)).toBe("/fallback");
    expect(judge(undefined)).toBe("/fallback");
  });

  it.each([
    ["/dashboard"],
    ["/"],
    ["/wallet?notice=card_saved"],
    ["/subscription/checkout?tier=pro&cycle=monthly#summary"],
    // After sign-in, the payment return it came from: its own query holds encoded slashes, which are fine there.
    ["/payments/return?next=%2Fwallet&payment_intent=pi_123"],
    ["/admin/customers/0b6c?notice=granted#customer-policy-title"],
    ["/usage/%E4%BD%BF%E7%94%A8"],
  ])("SEC-3: keeps the same-origin path %s with its query and hash", (value) => {
    expect(judge(value)).toBe(value);
  });
});
