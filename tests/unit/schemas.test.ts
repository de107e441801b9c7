import { describe, expect, it } from "vitest";
import { PASSWORD_MAX, PASSWORD_MIN, signInSchema, signUpSchema } from "../../lib/auth/schemas";

const PASSWORD = "p".repeat(PASSWORD_MIN);

/** The messages of a failed parse, by first path segment. */
function messages(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => [String(i.path[0]), i.message]);
}

describe("signUpSchema", () => {
  it("sign-up: email is trimmed and lower-cased", () => {
    const r = signUpSchema.parse({ email: "  Ann.Lee@Example.COM \t", password: PASSWORD });
    expect(r.email).toBe("ann.lee@example.com");
  });

  it("sign-up: a minimal valid input gets name null and locale en", () => {
    expect(signUpSchema.parse({ email: "a@b.co", password: PASSWORD })).toEqual({
      email: "a@b.co",
      name: null,
      password: PASSWORD,
      locale: "en",
    });
  });

  it("sign-up: an invalid email gives email_invalid", () => {
    for (const email of ["nope", "a@", "@b.co", "a b@c.co", "", "   "]) {
      expect(messages(signUpSchema.safeParse({ email, password: PASSWORD })), JSON.stringify(email)).toEqual([
        ["email", "email_invalid"],
      ]);
    }
  });

  it("sign-up: an email longer than 254 characters gives email_invalid", () => {
    const email = "a".repeat(250) + "@b.co"; // 255
    expect(messages(signUpSchema.safeParse({ email, password: PASSWORD }))).toEqual([["email", "email_invalid"]]);
  });

  it(`sign-up: a password of PASSWORD_MIN - 1 (${PASSWORD_MIN - 1}) characters gives password_too_short`, () => {
    expect(messages(signUpSchema.safeParse({ email: "a@b.co", password: "p".repeat(PASSWORD_MIN - 1) }))).toEqual([
      ["password", "password_too_short"],
    ]);
  });

  it(`sign-up: a password of exactly PASSWORD_MIN (${PASSWORD_MIN}) characters is accepted`, () => {
    expect(signUpSchema.safeParse({ email: "a@b.co", password: "p".repeat(PASSWORD_MIN) }).success).toBe(true);
  });

  it("sign-up: PASSWORD_MIN is 10", () => {
    expect(PASSWORD_MIN).toBe(10);
  });

  it("sign-up: a password longer than PASSWORD_MAX gives password_too_long", () => {
    expect(signUpSchema.safeParse({ email: "a@b.co", password: "p".repeat(PASSWORD_MAX) }).success).toBe(true);
    expect(messages(signUpSchema.safeParse({ email: "a@b.co", password: "p".repeat(PASSWORD_MAX + 1) }))).toEqual([
      ["password", "password_too_long"],
    ]);
  });

  it("sign-up: the password is kept as typed (not trimmed)", () => {
    const password = "  spaced pw  ";
    expect(signUpSchema.parse({ email: "a@b.co", password }).password).toBe(password);
  });

  it("sign-up: name is optional; empty and blank become null, others are trimmed", () => {
    expect(signUpSchema.parse({ email: "a@b.co", password: PASSWORD }).name).toBeNull();
    expect(signUpSchema.parse({ email: "a@b.co", password: PASSWORD, name: "" }).name).toBeNull();
    expect(signUpSchema.parse({ email: "a@b.co", password: PASSWORD, name: "   " }).name).toBeNull();
    expect(signUpSchema.parse({ email: "a@b.co", password: PASSWORD, name: "  Ann Lee  " }).name).toBe("Ann Lee");
  });

  it("sign-up: a name over 100 characters gives name_too_long", () => {
    expect(signUpSchema.parse({ email: "a@b.co", password: PASSWORD, name: "n".repeat(100) }).name).toBe(
      "n".repeat(100),
    );
    expect(messages(signUpSchema.safeParse({ email: "a@b.co", password: PASSWORD, name: "n".repeat(101) }))).toEqual([
      ["name", "name_too_long"],
    ]);
  });

  it("sign-up: locale defaults to en and accepts zh-CN", () => {
    expect(signUpSchema.parse({ email: "a@b.co", password: PASSWORD }).locale).toBe("en");
    expect(signUpSchema.parse({ email: "a@b.co", password: PASSWORD, locale: "zh-CN" }).locale).toBe("zh-CN");
  });

  it("sign-up: an unknown locale is rejected", () => {
    for (const locale of ["fr", "zh", "zh-TW", "EN", ""]) {
      const r = signUpSchema.safeParse({ email: "a@b.co", password: PASSWORD, locale });
      expect(r.success, locale).toBe(false);
      expect(r.error!.issues.map((i) => i.path)).toEqual([["locale"]]);
    }
  });

  it("sign-up: every bad field is reported at once", () => {
    const r = signUpSchema.safeParse({ email: "nope", password: "short", locale: "fr" });
    expect(messages(r).map(([field]) => field)).toEqual(["email", "password", "locale"]);
  });
});

describe("signInSchema", () => {
  it("sign-in: email is trimmed and lower-cased", () => {
    expect(signInSchema.parse({ email: " A@B.CO ", password: "x" })).toEqual({ email: "a@b.co", password: "x" });
  });

  it("sign-in: an invalid email gives email_invalid", () => {
    expect(messages(signInSchema.safeParse({ email: "not-an-email", password: "x" }))).toEqual([
      ["email", "email_invalid"],
    ]);
  });

  it("sign-in: any non-empty password up to PASSWORD_MAX is accepted, short ones included", () => {
    expect(signInSchema.safeParse({ email: "a@b.co", password: "x" }).success).toBe(true);
    expect(signInSchema.safeParse({ email: "a@b.co", password: "p".repeat(PASSWORD_MAX) }).success).toBe(true);
  });

  it("sign-in: an empty password gives password_required", () => {
    expect(messages(signInSchema.safeParse({ email: "a@b.co", password: "" }))).toEqual([
      ["password", "password_required"],
    ]);
  });

  it("sign-in: a password over PASSWORD_MAX gives password_too_long", () => {
    expect(messages(signInSchema.safeParse({ email: "a@b.co", password: "p".repeat(PASSWORD_MAX + 1) }))).toEqual([
      ["password", "password_too_long"],
    ]);
  });

  it("sign-in: unknown fields are dropped", () => {
    expect(signInSchema.parse({ email: "a@b.co", password: "x", admin: true })).toEqual({
      email: "a@b.co",
      password: "x",
    });
  });
});
