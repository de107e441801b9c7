import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { signUpSchema } from "../../lib/auth/schemas";
import { fieldErrorsOf } from "../../lib/http/action-result";

function errorOf(schema: z.ZodType, input: unknown): z.ZodError {
  const r = schema.safeParse(input);
  expect(r.success).toBe(false);
  return r.error!;
}

describe("fieldErrorsOf", () => {
  it("action result: one key per field, using the schema's i18n key", () => {
    const error = errorOf(signUpSchema, { email: "nope", password: "short" });
    expect(fieldErrorsOf(error)).toEqual({ email: "email_invalid", password: "password_too_short" });
  });

  it("action result: only the first issue per field is kept", () => {
    const schema = z.object({
      password: z.string().min(10, "password_too_short").regex(/\d/, "password_needs_digit"),
    });
    const error = errorOf(schema, { password: "abc" });
    expect(error.issues.map((i) => i.message)).toEqual(["password_too_short", "password_needs_digit"]);
    expect(fieldErrorsOf(error)).toEqual({ password: "password_too_short" });
  });

  it("action result: nested paths are reported under their top-level field", () => {
    const schema = z.object({ items: z.array(z.string().min(1, "item_empty")) });
    expect(fieldErrorsOf(errorOf(schema, { items: ["x", "", ""] }))).toEqual({ items: "item_empty" });
  });

  it("action result: zod's own messages (wrong type, bad enum) become invalid_input", () => {
    expect(fieldErrorsOf(errorOf(signUpSchema, { email: 5, password: 7 }))).toEqual({
      email: "invalid_input",
      password: "invalid_input",
    });
    expect(fieldErrorsOf(errorOf(signUpSchema, { email: "a@b.co", password: "p".repeat(10), locale: "fr" }))).toEqual({
      locale: "invalid_input",
    });
  });

  it("action result: messages that are not lower-case snake keys become invalid_input", () => {
    const error = new z.ZodError([
      { code: "custom", path: ["a"], message: "Email_Invalid", input: undefined },
      { code: "custom", path: ["b"], message: "email-invalid", input: undefined },
      { code: "custom", path: ["c"], message: "email invalid", input: undefined },
      { code: "custom", path: ["d"], message: "", input: undefined },
      { code: "custom", path: ["e"], message: "email_invalid2", input: undefined },
      { code: "custom", path: ["f"], message: "email_invalid", input: undefined },
    ]);
    expect(fieldErrorsOf(error)).toEqual({
      a: "invalid_input",
      b: "invalid_input",
      c: "invalid_input",
      d: "invalid_input",
      e: "invalid_input",
      f: "email_invalid",
    });
  });

  it("action result: the first issue wins even when it is a non-key message", () => {
    const error = new z.ZodError([
      { code: "custom", path: ["email"], message: "Expected string", input: undefined },
      { code: "custom", path: ["email"], message: "email_invalid", input: undefined },
    ]);
    expect(fieldErrorsOf(error)).toEqual({ email: "invalid_input" });
  });

  it("action result: an issue with no path is reported under _", () => {
    expect(fieldErrorsOf(errorOf(signUpSchema, null))).toEqual({ _: "invalid_input" });
    const error = new z.ZodError([{ code: "custom", path: [], message: "passwords_differ", input: undefined }]);
    expect(fieldErrorsOf(error)).toEqual({ _: "passwords_differ" });
  });

  it("action result: no issues gives no field errors", () => {
    expect(fieldErrorsOf(new z.ZodError([]))).toEqual({});
  });

  it("action result: for any issue list, each field maps to its first issue's message or invalid_input", () => {
    const issue = fc.record({
      field: fc.constantFrom("email", "password", "name", "locale"),
      message: fc.oneof(fc.stringMatching(/^[a-z_]{1,20}$/), fc.string({ maxLength: 20 })),
    });
    fc.assert(
      fc.property(fc.array(issue, { maxLength: 20 }), (issues) => {
        const error = new z.ZodError(
          issues.map((i) => ({ code: "custom" as const, path: [i.field], message: i.message, input: undefined })),
        );
        const expected: Record<string, string> = {};
        for (const i of issues) {
          if (!(i.field in expected)) expected[i.field] = /^[a-z_]+$/.test(i.message) ? i.message : "invalid_input";
        }
        expect(fieldErrorsOf(error)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
