import { describe, expect, it } from "vitest";
import { langOf, refusalMessage, resetTimeText, wireCode, type Lang, type Refusal } from "../../lib/quota/refusals";

const at = (iso: string) => new Date(iso);

describe("COMPAT: codes and HTTP statuses of the refusals", () => {
  it.each<[string, Refusal, { code: string; status: number }]>([
    [
      "QUOTA-7: 5-hour quota used up → 1308 / 429",
      { code: "five_hour", resetAt: at("2026-09-08T21:38:28Z") },
      { code: "1308", status: 429 },
    ],
    [
      "QUOTA-7: weekly cap used up → 1310 / 429",
      { code: "weekly", resetAt: at("2026-09-22T21:53:09Z") },
      { code: "1310", status: 429 },
    ],
    [
      "QUOTA-7: monthly MCP cap used up → 1310 / 429",
      { code: "monthly", resetAt: at("2026-09-30T16:00:00Z") },
      { code: "1310", status: 429 },
    ],
    ["QUOTA-8: over the concurrency limit → 1302 / 429", { code: "concurrency" }, { code: "1302", status: 429 }],
    [
      "QUOTA-5: model not in the tier → 1311 / 400",
      { code: "model_not_in_tier", model: "GLM-5", tiers: ["pro", "max"] },
      { code: "1311", status: 400 },
    ],
    ["COMPAT: no coding plan → 1309 / 403", { code: "no_plan" }, { code: "1309", status: 403 }],
    ["COMPAT: expired plan → 1309 / 403", { code: "plan_inactive", status: "expired" }, { code: "1309", status: 403 }],
    [
      "COMPAT: suspended plan → 1309 / 403",
      { code: "plan_inactive", status: "suspended" },
      { code: "1309", status: 403 },
    ],
    ["COMPAT: missing key → 1001 / 401", { code: "missing_key" }, { code: "1001", status: 401 }],
    ["COMPAT: invalid key → 401 / 401", { code: "invalid_key" }, { code: "401", status: 401 }],
    ["COMPAT: bad request → 1210 / 400", { code: "bad_request", field: "messages" }, { code: "1210", status: 400 }],
  ])("%s", (_name, refusal, expected) => {
    const wire = wireCode(refusal);
    expect(wire).toStrictEqual(expected);
    // The code is a string on the wire (COMPAT.md), never a number.
    expect(typeof wire.code).toBe("string");
  });
});

describe("COMPAT: refusal messages, exactly as the provider's clients show them", () => {
  it("QUOTA-7: 1308 names the reset time in UTC+8 with no zone suffix (COMPAT.md example)", () => {
    expect(refusalMessage({ code: "five_hour", resetAt: at("2026-09-08T21:38:28Z") }, "en")).toBe(
      "Usage limit reached for 5 hour. Your limit will reset at 2026-09-09 05:38:28",
    );
  });

  it("QUOTA-7: 1308 in Chinese (COMPAT.md example)", () => {
    expect(refusalMessage({ code: "five_hour", resetAt: at("2025-12-09T10:08:11Z") }, "zh")).toBe(
      "已达到 5 小时的使用上限。您的限额将在 2025-12-09 18:08:11 重置。",
    );
  });

  it("QUOTA-7: 1310 for the weekly and the monthly cap (COMPAT.md example)", () => {
    const text = "Weekly/Monthly Limit Exhausted. Your limit will reset at 2026-09-23 05:53:09";
    expect(refusalMessage({ code: "weekly", resetAt: at("2026-09-22T21:53:09Z") }, "en")).toBe(text);
    expect(refusalMessage({ code: "monthly", resetAt: at("2026-09-22T21:53:09Z") }, "en")).toBe(text);
  });

  it("QUOTA-7: the reset time crosses the date line into the next day and year in UTC+8", () => {
    expect(resetTimeText(at("2026-12-31T16:00:00Z"))).toBe("2027-01-01 00:00:00");
    expect(resetTimeText(at("2026-12-31T15:59:59Z"))).toBe("2026-12-31 23:59:59");
    expect(resetTimeText(at("2027-03-04T01:02:03Z"))).toBe("2027-03-04 09:02:03");
  });

  it("QUOTA-8: 1302 says 'Rate limit reached for requests'", () => {
    expect(refusalMessage({ code: "concurrency" }, "en")).toBe("Rate limit reached for requests");
  });

  it("COMPAT: missing and invalid key messages are the provider's", () => {
    expect(refusalMessage({ code: "missing_key" }, "en")).toBe("Authorization Token Missing");
    expect(refusalMessage({ code: "invalid_key" }, "en")).toBe("token expired or incorrect");
  });

  it("COMPAT: 1309 without a plan, in English and Chinese", () => {
    expect(refusalMessage({ code: "no_plan" }, "en")).toBe("The current user has no coding plan");
    expect(refusalMessage({ code: "no_plan" }, "zh")).toBe("当前用户不存在coding plan");
  });

  it("COMPAT: 1309 for an inactive plan says which state it is in", () => {
    const expired = refusalMessage({ code: "plan_inactive", status: "expired" }, "en");
    const suspended = refusalMessage({ code: "plan_inactive", status: "suspended" }, "en");
    const pastDue = refusalMessage({ code: "plan_inactive", status: "past_due" }, "en");
    expect(expired).toMatch(/expired/i);
    expect(suspended).toMatch(/suspended/i);
    expect(new Set([expired, suspended, pastDue]).size).toBe(3);
  });

  it("QUOTA-5: 1311 names the model and the tiers that have it, and not the ones that do not", () => {
    for (const lang of ["en", "zh"] as const) {
      const text = refusalMessage({ code: "model_not_in_tier", model: "GLM-5", tiers: ["pro", "max"] }, lang);
      expect(text).toContain("GLM-5");
      expect(text).toContain("Pro");
      expect(text).toContain("Max");
      expect(text).not.toContain("Lite");
    }
  });

  it("COMPAT: a bad request names the field", () => {
    expect(refusalMessage({ code: "bad_request", field: "messages" }, "en")).toContain("messages");
    expect(refusalMessage({ code: "bad_request", field: "messages" }, "zh")).toContain("messages");
  });
});

describe("COMPAT: message language follows Accept-Language", () => {
  it.each<[string | null | undefined, Lang]>([
    ["zh-CN,zh;q=0.9", "zh"],
    ["zh", "zh"],
    ["zh-TW", "zh"],
    ["ZH-cn", "zh"],
    ["en-US", "en"],
    ["en-US,en;q=0.9", "en"],
    ["fr-FR", "en"],
    ["", "en"],
    [null, "en"],
    [undefined, "en"],
  ])("COMPAT: langOf(%j) = %s", (header, lang) => {
    expect(langOf(header)).toBe(lang);
  });
});

describe("COMPAT: no other refusal reads as an auth or rate problem", () => {
  // Clients read "auth", "token" or "rate limit" as an auth or rate problem: only these three refusals may say so.
  const others: Refusal[] = [
    { code: "no_plan" },
    { code: "plan_inactive", status: "expired" },
    { code: "plan_inactive", status: "suspended" },
    { code: "plan_inactive", status: "past_due" },
    { code: "unknown_model", model: "glm-9" },
    { code: "model_not_in_tier", model: "GLM-5", tiers: ["pro", "max"] },
    { code: "five_hour", resetAt: at("2026-09-08T21:38:28Z") },
    { code: "weekly", resetAt: at("2026-09-22T21:53:09Z") },
    { code: "monthly", resetAt: at("2026-09-30T16:00:00Z") },
    { code: "bad_request", field: "messages" },
    { code: "bad_request", field: "model" },
    { code: "bad_request", field: "startTime (yyyy-MM-dd HH:mm:ss)" },
  ];

  it.each(
    others.flatMap((r) =>
      (["en", "zh"] as const).map(
        (lang) =>
          [`${r.code}${"status" in r ? `/${r.status}` : ""}${"field" in r ? `/${r.field}` : ""}`, lang, r] as const,
      ),
    ),
  )("COMPAT: %s (%s) contains no 'auth', 'token' or 'rate limit'", (_name, lang, refusal) => {
    const text = refusalMessage(refusal, lang);
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/auth|token|rate limit/i);
  });

  it("COMPAT: the key and concurrency refusals are the ones that do (as the provider words them)", () => {
    expect(refusalMessage({ code: "missing_key" }, "en")).toMatch(/auth|token/i);
    expect(refusalMessage({ code: "invalid_key" }, "en")).toMatch(/token/i);
    expect(refusalMessage({ code: "concurrency" }, "en")).toMatch(/rate limit/i);
  });
});
